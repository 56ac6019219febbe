package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.connect.runtime.SinkConnectorConfig;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.distributed.DistributedConfig;
import org.junit.jupiter.api.Test;

/**
 * The Connect worker and connector configurations use only keys that exist: connector keys of the
 * sample configurations sink-connectors ships for the same class (endpoint names may differ), the
 * sinks' {@code topic.*} keys, or the framework keys every sink connector takes; worker keys of the
 * shipped worker.properties. Every {@code ${env:NAME}} is set in the worker's environment. Every
 * worker and connector reads committed records only, and every worker hands its tasks back within
 * seconds of a broker's return.
 */
class ConnectConfigTest {

    /** Keys Connect itself reads from every sink connector's configuration. */
    static final Set<String> FRAMEWORK_KEYS = SinkConnectorConfig.configDef().names();
    private static final Pattern ENDPOINT_KEY = Pattern.compile("endpoint\\.([a-z0-9][a-z0-9_-]*)\\.(.+)");
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
    private static final String ISOLATION_OVERRIDE = "consumer.override.isolation.level";
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
    void shouldConfigureTheWorkersWithKeysOfTheShippedWorkerProperties() {
        Set<String> local = ConnectWorkers.properties(ConnectWorkers.LOCAL).keySet();
        Set<String> known = new TreeSet<>(local);
        known.addAll(ConnectWorkers.properties(ConnectWorkers.DOCKER).keySet());
        assertThat(ConnectWorkers.properties(ConnectWorkers.DOCKER).keySet()).isSubsetOf(local);

        Compose.environment(Compose.service("connect")).keySet().stream().filter(v -> v.startsWith("CONNECT_"))
                .map(ConnectWorkers::keyOf)
                .forEach(key -> assertThat(known).as("compose connect sets " + key).contains(key));
        for (JsonNode connect : DeployFiles.kubernetesResources("KafkaConnect")) {
            connect.path("spec").path("config").fieldNames()
                    .forEachRemaining(key -> assertThat(known).as("KafkaConnect config " + key).contains(key));
        }
    }

    /** Issue #13, defect 2: the topics the sinks read are written in transactions. */
    @Test
    void shouldReadCommittedRecordsOnlyInEveryWorker() {
        for (ConnectWorkers.Worker worker : ConnectWorkers.all()) {
            assertThat(worker.config().get("consumer.isolation.level")).as(worker.where()).isEqualTo("read_committed");
        }
    }

    @Test
    void shouldReadCommittedRecordsOnlyInEveryConnector() {
        List<ConnectorConfigs.Connector> connectors = new ArrayList<>(ConnectorConfigs.all());
        ConnectorConfigs.samplesByClass().forEach((connectorClass, sample) ->
                connectors.add(new ConnectorConfigs.Connector("sink-connectors sample " + connectorClass, sample)));
        for (ConnectorConfigs.Connector connector : connectors) {
            assertThat(connector.config().get(ISOLATION_OVERRIDE)).as(connector.where()).isEqualTo("read_committed");
        }
    }

    @Test
    void shouldLetTheConnectorsOfEveryWorkerSetTheirIsolationLevel() {
        for (ConnectWorkers.Worker worker : ConnectWorkers.all()) {
            String policy = worker.config().getOrDefault(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG,
                    WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_DEFAULT);
            List<String> allowlist = List.of(worker.config()
                    .getOrDefault("connector.client.config.override.allowlist", "").split("\\s*,\\s*"));
            assertThat(policy.equals("All") || policy.equals("Allowlist") && allowlist.contains("isolation.level"))
                    .as("%s lets connectors set %s (policy %s)", worker.where(), ISOLATION_OVERRIDE, policy)
                    .isTrue();
        }
    }

    /**
     * Issue #13, defect 6: after a broker outage a worker took its tasks back only after
     * scheduled.rebalance.max.delay.ms (5 minutes by default), its sink consumers only after the
     * consumer session timeout (45 s by default).
     */
    @Test
    void shouldHandTasksBackWithinSecondsOfABrokersReturn() {
        Object sessionDefault = ConsumerConfig.configDef().defaultValues().get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG);
        for (ConnectWorkers.Worker worker : ConnectWorkers.all()) {
            assertThat(Long.parseLong(worker.config().getOrDefault(DistributedConfig.SCHEDULED_REBALANCE_MAX_DELAY_MS_CONFIG,
                    String.valueOf(DistributedConfig.SCHEDULED_REBALANCE_MAX_DELAY_MS_DEFAULT))))
                    .as(worker.where() + " scheduled.rebalance.max.delay.ms").isLessThanOrEqualTo(10_000L);
            assertThat(Long.parseLong(worker.config().getOrDefault("consumer." + ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    String.valueOf(sessionDefault))))
                    .as(worker.where() + " consumer.session.timeout.ms").isLessThanOrEqualTo(10_000L);
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

}
