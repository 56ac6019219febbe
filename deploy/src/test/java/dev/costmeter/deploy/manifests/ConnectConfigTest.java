package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Connect worker and connector configurations use only keys that exist: connector keys of the
 * sample configurations sink-connectors ships for the same class (endpoint names may differ), the
 * sinks' {@code topic.*} keys, or the framework keys every sink connector takes; worker keys of the
 * shipped worker.properties. Every {@code ${env:NAME}} is set in the worker's environment.
 */
class ConnectConfigTest {

    /**
     * Keys Connect itself reads from every sink connector's configuration (ConnectorConfig and
     * SinkConnectorConfig); listed here because connect-runtime is not on this module's classpath.
     */
    static final Set<String> FRAMEWORK_KEYS = Set.of("name", "connector.class", "tasks.max", "topics", "topics.regex",
            "key.converter", "value.converter", "header.converter", "transforms", "predicates",
            "config.action.reload", "errors.retry.timeout", "errors.retry.delay.max.ms", "errors.tolerance",
            "errors.log.enable", "errors.log.include.messages", "errors.deadletterqueue.topic.name",
            "errors.deadletterqueue.topic.replication.factor", "errors.deadletterqueue.context.headers.enable");
    private static final Pattern ENDPOINT_KEY = Pattern.compile("endpoint\\.([a-z0-9][a-z0-9_-]*)\\.(.+)");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    private static final Set<String> LEDGER_TOPIC_KEYS = Set.of("topic.ledger", "topic.rollups", "topic.task-outcomes");

    @Test
    void shouldDeployBothSinkConnectorsInComposeAndOnKubernetes() {
        Set<String> classes = ConnectorConfigs.samplesByClass().keySet();
        List<ConnectorConfigs.Connector> connectors = ConnectorConfigs.all();

        assertThat(connectors.stream().filter(c -> c.where().startsWith("compose")).map(ConnectorConfigs.Connector::connectorClass))
                .containsExactlyInAnyOrderElementsOf(classes);
        assertThat(connectors.stream().filter(c -> c.where().startsWith("KafkaConnector")).map(ConnectorConfigs.Connector::connectorClass))
                .containsExactlyInAnyOrderElementsOf(classes);
    }

    @Test
    void shouldSetOnlyKeysTheSinkConnectorsRead() {
        Map<String, Map<String, String>> samples = ConnectorConfigs.samplesByClass();
        for (ConnectorConfigs.Connector connector : ConnectorConfigs.all()) {
            Map<String, String> sample = samples.get(connector.connectorClass());
            assertThat(sample).as(connector.where() + " runs a connector sink-connectors ships").isNotNull();
            Set<String> endpoints = new TreeSet<>(List.of(connector.config().getOrDefault("endpoints", "").split(",")));
            for (String key : connector.config().keySet()) {
                assertThat(FRAMEWORK_KEYS.contains(key) || sample.containsKey(key) || LEDGER_TOPIC_KEYS.contains(key)
                        || isEndpointKeyOf(key, sample, endpoints))
                        .as("%s sets %s, which %s does not read", connector.where(), key, connector.connectorClass())
                        .isTrue();
            }
        }
    }

    @Test
    void shouldSetEveryEnvReferenceOfAConnectorInTheWorkersEnvironment() {
        Set<String> composeWorkerEnv = Compose.environment(Compose.service("connect")).keySet();
        Set<String> strimziWorkerEnv = new TreeSet<>();
        for (JsonNode connect : DeployFiles.kubernetesResources("KafkaConnect")) {
            connect.path("spec").path("template").path("connectContainer").path("env")
                    .forEach(var -> strimziWorkerEnv.add(var.path("name").asText()));
        }
        for (ConnectorConfigs.Connector connector : ConnectorConfigs.all()) {
            Set<String> workerEnv = connector.where().startsWith("compose") ? composeWorkerEnv : strimziWorkerEnv;
            for (String value : connector.config().values()) {
                Matcher reference = ENV_REFERENCE.matcher(value);
                while (reference.find()) {
                    assertThat(workerEnv).as(connector.where()).contains(reference.group(1));
                }
            }
        }
    }

    @Test
    void shouldKeepPasswordsOutOfConnectorConfigs() {
        for (ConnectorConfigs.Connector connector : ConnectorConfigs.all()) {
            connector.config().forEach((key, value) -> {
                if (key.contains("password") || key.endsWith("routing.key")) {
                    assertThat(value).as(connector.where() + " " + key).matches("\\$\\{env:[A-Za-z0-9_]+}");
                }
            });
        }
    }

    @Test
    void shouldConfigureTheWorkersWithKeysOfTheShippedWorkerProperties() throws Exception {
        Set<String> known = new TreeSet<>(properties("sink-connectors/src/main/config/worker.properties").stringPropertyNames());
        known.addAll(properties("deploy/docker/connect/worker.properties").stringPropertyNames());
        assertThat(properties("deploy/docker/connect/worker.properties").stringPropertyNames())
                .isSubsetOf(properties("sink-connectors/src/main/config/worker.properties").stringPropertyNames());

        Compose.environment(Compose.service("connect")).keySet().stream().filter(v -> v.startsWith("CONNECT_"))
                .map(v -> v.substring("CONNECT_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'))
                .forEach(key -> assertThat(known).as("compose connect sets " + key).contains(key));
        for (JsonNode connect : DeployFiles.kubernetesResources("KafkaConnect")) {
            connect.path("spec").path("config").fieldNames()
                    .forEachRemaining(key -> assertThat(known).as("KafkaConnect config " + key).contains(key));
        }
    }

    private static boolean isEndpointKeyOf(String key, Map<String, String> sample, Set<String> endpoints) {
        Matcher endpoint = ENDPOINT_KEY.matcher(key);
        if (!endpoint.matches() || !endpoints.contains(endpoint.group(1))) {
            return false;
        }
        String suffix = "." + endpoint.group(2);
        return sample.keySet().stream().anyMatch(k -> k.startsWith("endpoint.") && k.endsWith(suffix)
                && ENDPOINT_KEY.matcher(k).matches());
    }

    private static Properties properties(String relativeToRoot) throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(DeployFiles.read(DeployFiles.repositoryRoot().resolve(relativeToRoot))));
        return properties;
    }
}
