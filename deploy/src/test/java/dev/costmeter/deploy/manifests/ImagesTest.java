package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every image is one our Dockerfiles build, or a public image pinned to a version. */
class ImagesTest {

    @Test
    void shouldReferenceOnlyOurBuiltImagesOrPinnedPublicImages() {
        Map<String, String> images = everyImageReference();

        assertThat(images).isNotEmpty();
        images.forEach((image, where) -> {
            if (Images.isOwn(image)) {
                assertThat(DeployFiles.resolve("docker/" + Images.ownName(image) + ".Dockerfile"))
                        .as("%s (%s) is built by deploy/docker/%s.Dockerfile", image, where, Images.ownName(image))
                        .exists();
                assertThat(Images.tag(image)).as("%s (%s) is tagged with the project version", image, where)
                        .isEqualTo(Poms.projectVersion());
            } else {
                String tag = Images.tag(image);
                assertThat(tag != null || Images.digest(image) != null)
                        .as("%s (%s) names a version", image, where).isTrue();
                assertThat(tag).as("%s (%s) is pinned", image, where).isNotEqualToIgnoringCase("latest");
                assertThat(tag).as("%s (%s) is pinned to a version, not a variable", image, where).doesNotContain("$");
            }
        });
    }

    @Test
    void shouldBuildEachComposeImageWithItsOwnDockerfileFromTheRepositoryRoot() {
        Compose.services().forEach((name, service) -> {
            String image = service.path("image").asText("");
            JsonNode build = service.path("build");
            if (Images.isOwn(image)) {
                assertThat(build.path("dockerfile").asText()).as(name)
                        .isEqualTo("deploy/docker/" + Images.ownName(image) + ".Dockerfile");
                assertThat(DeployFiles.resolve("compose").resolve(build.path("context").asText()).normalize())
                        .as(name).isEqualTo(DeployFiles.repositoryRoot());
            } else {
                assertThat(build.isMissingNode()).as("%s builds an image it does not name costmeter/*", name).isTrue();
            }
        });
    }

    @Test
    void shouldBuildEveryDockerfileInTheDocumentedBuildStep() {
        String script = DeployFiles.read(DeployFiles.resolve("docker/build-context.sh"));

        for (Dockerfile dockerfile : Dockerfile.all()) {
            assertThat(script).as("build-context.sh builds %s", dockerfile.path().getFileName())
                    .containsPattern("for name in [^\\n]*\\b" + dockerfile.name() + "\\b");
        }
        assertThat(Files.isExecutable(DeployFiles.resolve("docker/build-context.sh"))).isTrue();
    }

    /** image → where it is used. */
    private static Map<String, String> everyImageReference() {
        Map<String, String> images = new LinkedHashMap<>();
        Compose.services().forEach((name, service) -> {
            if (service.has("image")) {
                images.put(service.path("image").asText(), "compose service " + name);
            }
        });
        for (Workloads.Container container : Workloads.containers()) {
            images.put(container.image(), container.workloadName());
        }
        for (JsonNode connect : DeployFiles.kubernetesResources("KafkaConnect")) {
            images.put(connect.path("spec").path("image").asText(), "KafkaConnect " + connect.path("metadata").path("name").asText());
        }
        for (Dockerfile dockerfile : Dockerfile.all()) {
            List<String> bases = new ArrayList<>();
            dockerfile.all("FROM").forEach(from -> bases.add(from.words().get(0)));
            bases.forEach(base -> images.put(base, dockerfile.path().getFileName().toString()));
        }
        return images;
    }
}
