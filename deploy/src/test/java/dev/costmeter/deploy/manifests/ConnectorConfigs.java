package dev.costmeter.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connector configurations the deployments submit: the JSON files Compose PUTs and the
 * Strimzi KafkaConnector resources (their {@code class}/{@code tasksMax} as the REST keys), beside
 * the sample configurations sink-connectors ships ({@code sink-connectors/src/main/config}).
 */
final class ConnectorConfigs {

    /** One submitted connector configuration, flat as the REST API takes it. */
    record Connector(String where, Map<String, String> config) {

        String connectorClass() {
            return config.get("connector.class");
        }
    }

    private ConnectorConfigs() {
    }

    static List<Connector> all() {
        List<Connector> connectors = new ArrayList<>();
        for (Path file : DeployFiles.filesEndingWith(".json")) {
            if (file.startsWith(DeployFiles.resolve("compose/connectors"))) {
                connectors.add(new Connector("compose " + file.getFileName(), flat(DeployFiles.json(file))));
            }
        }
        for (JsonNode resource : DeployFiles.kubernetesResources("KafkaConnector")) {
            JsonNode spec = resource.path("spec");
            Map<String, String> config = flat(spec.path("config"));
            config.put("connector.class", spec.path("class").asText());
            config.put("tasks.max", spec.path("tasksMax").asText());
            connectors.add(new Connector("KafkaConnector " + resource.path("metadata").path("name").asText(), config));
        }
        return connectors;
    }

    /** The sample configurations sink-connectors ships, by connector class. */
    static Map<String, Map<String, String>> samplesByClass() {
        Map<String, Map<String, String>> samples = new LinkedHashMap<>();
        Path dir = DeployFiles.repositoryRoot().resolve("sink-connectors/src/main/config");
        for (String name : List.of("ledger-sink.json", "alert-sink.json")) {
            Map<String, String> config = flat(DeployFiles.json(dir.resolve(name)).path("config"));
            samples.put(config.get("connector.class"), config);
        }
        return samples;
    }

    static Map<String, String> flat(JsonNode object) {
        Map<String, String> config = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
        return config;
    }
}
