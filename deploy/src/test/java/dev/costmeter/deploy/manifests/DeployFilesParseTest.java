package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every deployment file parses, and the Kubernetes set is complete and well-formed. */
class DeployFilesParseTest {

    @Test
    void shouldParseEveryYamlFileIntoAtLeastOneDocument() {
        List<Path> files = DeployFiles.filesEndingWith(".yml", ".yaml");

        assertThat(files).hasSizeGreaterThanOrEqualTo(10);
        for (Path file : files) {
            assertThat(DeployFiles.yamlDocuments(file)).as(file.toString()).isNotEmpty();
        }
    }

    @Test
    void shouldParseEveryJsonFileWithoutDuplicateKeys() {
        List<Path> files = DeployFiles.filesEndingWith(".json");

        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("costmeter-dashboard.json", "ledger-sink.json", "alert-sink.json");
        for (Path file : files) {
            assertThat(DeployFiles.json(file).isObject()).as(file.toString()).isTrue();
        }
    }

    @Test
    void shouldApplyEveryKubernetesFileThroughTheKustomization() throws Exception {
        JsonNode kustomization = DeployFiles.yaml("k8s/kustomization.yaml");
        List<String> listed = new ArrayList<>();
        kustomization.path("resources").forEach(r -> listed.add(r.asText()));

        List<String> present = new ArrayList<>();
        try (var files = Files.list(DeployFiles.resolve("k8s"))) {
            files.map(p -> p.getFileName().toString())
                    .filter(name -> name.endsWith(".yaml") && !name.equals("kustomization.yaml"))
                    .forEach(present::add);
        }
        assertThat(listed).containsExactlyInAnyOrderElementsOf(present);
    }

    @Test
    void shouldGiveEveryKubernetesResourceAKindANameAndTheCostmeterNamespace() {
        for (JsonNode resource : DeployFiles.kubernetesResources()) {
            String kind = resource.path("kind").asText();
            if (kind.equals("Kustomization")) {
                continue;
            }
            String name = resource.path("metadata").path("name").asText();
            assertThat(resource.path("apiVersion").asText()).as(kind + " " + name).isNotBlank();
            assertThat(name).as(kind).matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
            if (!kind.equals("Namespace")) {
                assertThat(resource.path("metadata").path("namespace").asText()).as(kind + " " + name)
                        .isEqualTo("costmeter");
            }
        }
    }
}
