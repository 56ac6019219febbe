package dev.costmeter.deploy.manifests;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The deployment files under {@code deploy/}, found from the working directory, and their parsers. */
final class DeployFiles {

    /** The directories this package checks, relative to {@code deploy/}. */
    static final List<String> DIRECTORIES = List.of("compose", "k8s", "docker", "grafana", "prometheus");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private DeployFiles() {
    }

    /** The checkout's root: the first directory upwards that holds {@code deploy/pom.xml}. */
    static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy").resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("No deploy/pom.xml above " + Path.of("").toAbsolutePath());
    }

    static Path deployDir() {
        return repositoryRoot().resolve("deploy");
    }

    static Path resolve(String relativeToDeploy) {
        return deployDir().resolve(relativeToDeploy);
    }

    /** Every file under the checked directories whose name ends with one of {@code suffixes}. */
    static List<Path> filesEndingWith(String... suffixes) {
        List<Path> files = new ArrayList<>();
        for (String dir : DIRECTORIES) {
            Path root = resolve(dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> Stream.of(suffixes).anyMatch(s -> p.getFileName().toString().endsWith(s)))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** Every document of a YAML file ({@code ---} separated); empty documents are skipped. */
    static List<JsonNode> yamlDocuments(Path file) {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    documents.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
        return documents;
    }

    static JsonNode yaml(String relativeToDeploy) {
        List<JsonNode> docs = yamlDocuments(resolve(relativeToDeploy));
        if (docs.size() != 1) {
            throw new IllegalStateException(relativeToDeploy + " holds " + docs.size() + " documents, expected 1");
        }
        return docs.get(0);
    }

    static JsonNode json(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot parse " + file, e);
        }
    }

    static JsonNode json(String relativeToDeploy) {
        return json(resolve(relativeToDeploy));
    }

    /** Every document of every Kubernetes manifest under {@code deploy/k8s}. */
    static List<JsonNode> kubernetesResources() {
        List<JsonNode> resources = new ArrayList<>();
        for (Path file : filesEndingWith(".yaml", ".yml")) {
            if (file.startsWith(resolve("k8s"))) {
                resources.addAll(yamlDocuments(file));
            }
        }
        return resources;
    }

    static List<JsonNode> kubernetesResources(String kind) {
        return kubernetesResources().stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
