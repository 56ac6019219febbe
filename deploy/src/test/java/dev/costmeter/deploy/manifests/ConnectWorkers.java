package dev.costmeter.deploy.manifests;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The Connect worker configurations the deployments run, each as its worker ends up with it: the
 * local stack's {@code worker.properties} (which {@code ./costmeter up} copies, changing only
 * addresses and paths), the Compose worker's properties with the {@code CONNECT_*} variables its
 * entrypoint appends, and each Strimzi {@code KafkaConnect}'s {@code spec.config}.
 */
final class ConnectWorkers {

    static final String LOCAL = "sink-connectors/src/main/config/worker.properties";
    static final String DOCKER = "deploy/docker/connect/worker.properties";

    /** One worker configuration, keys as Connect reads them. */
    record Worker(String where, Map<String, String> config) {
    }

    private ConnectWorkers() {
    }

    static List<Worker> all() {
        List<Worker> workers = new ArrayList<>();
        workers.add(new Worker(LOCAL + " (./costmeter up)", properties(LOCAL)));
        Map<String, String> compose = properties(DOCKER);
        // entrypoint.sh appends each CONNECT_<KEY> variable as <key>; the later line wins.
        Compose.environment(Compose.service("connect")).forEach((name, value) -> {
            if (name.startsWith("CONNECT_")) {
                compose.put(keyOf(name), value);
            }
        });
        workers.add(new Worker("compose connect (" + DOCKER + " and its CONNECT_* environment)", compose));
        for (JsonNode connect : DeployFiles.kubernetesResources("KafkaConnect")) {
            workers.add(new Worker("KafkaConnect " + connect.path("metadata").path("name").asText(),
                    ConnectorConfigs.flat(connect.path("spec").path("config"))));
        }
        return workers;
    }

    /** The worker key a {@code CONNECT_<KEY>} variable sets, as entrypoint.sh maps it. */
    static String keyOf(String variable) {
        return variable.substring("CONNECT_".length()).toLowerCase(Locale.ROOT).replace('_', '.');
    }

    static Map<String, String> properties(String relativeToRoot) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(DeployFiles.read(DeployFiles.repositoryRoot().resolve(relativeToRoot))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(key -> config.put(key, properties.getProperty(key)));
        return config;
    }
}
