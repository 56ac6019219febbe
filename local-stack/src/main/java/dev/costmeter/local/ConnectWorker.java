package dev.costmeter.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import dev.costmeter.local.security.OwnerOnlyFiles;
import dev.costmeter.local.security.StackSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect distributed worker with costmeter's sink plugins, and the registration of the
 * ledger and alert connectors shipped in {@code sink-connectors/src/main/config}.
 */
final class ConnectWorker {

    private static final Logger log = LoggerFactory.getLogger(ConnectWorker.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String NAME = "kafka-connect";
    private static final String DLQ_TOPIC = "errors.deadletterqueue.topic.name";
    private static final String DLQ_REPLICATION_FACTOR = "errors.deadletterqueue.topic.replication.factor";

    private final StackConfig config;
    private final Probes probes;
    private final java.util.Optional<StackSecurity> security;
    private final HttpClient http = HttpClient.newHttpClient();

    ConnectWorker(StackConfig config, Probes probes) {
        this(config, probes, java.util.Optional.empty());
    }

    ConnectWorker(StackConfig config, Probes probes, java.util.Optional<StackSecurity> security) {
        this.config = config;
        this.probes = probes;
        this.security = security;
    }

    /** Writes the worker's properties: the shipped file pointed at this stack, plus the overrides below. */
    void writeProperties() throws IOException, LocalStack.StackStartException {
        if (!Files.isDirectory(config.connectPluginPath())) {
            throw new LocalStack.StackStartException("kafka-connect cannot start: no built plugin at "
                    + config.connectPluginPath() + " (run ./mvnw package)");
        }
        try {
            restHost();
        } catch (IllegalStateException e) {
            throw new LocalStack.StackStartException("kafka-connect cannot start: " + e.getMessage());
        }
        String worker = Files.readString(config.connectorConfigDir().resolve("worker.properties"), StandardCharsets.UTF_8)
                .replace("bootstrap.servers=localhost:9092", "bootstrap.servers=" + config.bootstrapServers())
                .replace("plugin.path=sink-connectors/target/plugin", "plugin.path=" + config.connectPluginPath());
        // Owner-only: on a secure stack it holds the worker's SCRAM password.
        OwnerOnlyFiles.write(propertiesFile(), worker + overrides());
    }

    /**
     * Appended to the shipped worker properties (a later key wins when Java reads a properties file):
     * the REST listener on a loopback address, the stack's replication for Connect's internal
     * topics, and plugin discovery by service loader.
     */
    String overrides() {
        String rest = restHost();
        StringBuilder lines = new StringBuilder("\n# Appended by the costmeter local stack (ConnectWorker).\n")
                // Connect's REST API has no authentication here and can read connector configs, pause
                // and delete connectors: only this machine may reach it, whatever the shipped file says.
                .append("listeners=http://").append(rest).append(':').append(config.ports().connect()).append('\n')
                .append("rest.advertised.host.name=").append(rest).append('\n')
                .append("rest.advertised.port=").append(config.ports().connect()).append('\n')
                // Every plugin here ships ServiceLoader manifests (Connect says so at start): reading
                // them takes half a second where scanning every class of the classpath takes ~20 s.
                .append("plugin.discovery=service_load\n");
        security.ifPresent(s -> lines.append(s.connectWorkerProperties()));
        if (config.shape().brokers() == 1) {
            return lines.toString();
        }
        String replicas = Short.toString(config.replicationFactor());
        String minIsr = Integer.toString(config.minInsyncReplicas());
        for (String topic : List.of("config.storage", "offset.storage", "status.storage")) {
            lines.append(topic).append(".replication.factor=").append(replicas).append('\n')
                    .append(topic).append(".min.insync.replicas=").append(minIsr).append('\n');
        }
        return lines.toString();
    }

    /**
     * The loopback address literal the REST API listens on ({@code 127.0.0.1} for {@code localhost}).
     *
     * @throws IllegalStateException when the stack's host is not a loopback address
     */
    String restHost() {
        try {
            InetAddress address = InetAddress.getByName(config.host());
            if (!address.isLoopbackAddress()) {
                throw new IllegalStateException("the stack's host " + config.host() + " is not a loopback address,"
                        + " and the local Connect worker's REST API, which has no authentication, listens on loopback only");
            }
            String literal = address.getHostAddress();
            return literal.contains(":") ? "[" + literal + "]" : literal;
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve the stack's host " + config.host() + ": " + e.getMessage(), e);
        }
    }

    Path propertiesFile() {
        return config.dataDir().resolve("config").resolve("connect-worker.properties");
    }

    ChildProcess launch() throws IOException {
        StackConfig.ExternalPostgres pg = config.postgres();
        List<String> heap = config.shape().brokers() == 1 ? List.of("-Xmx1g") : List.of("-Xmx768m");
        return ChildProcess.start(config, NAME, config.ports().connect(),
                "org.apache.kafka.connect.cli.ConnectDistributed", heap,
                Map.of("COSTMETER_PG_URL", pg.jdbcUrl(), "COSTMETER_PG_USER", pg.user(), "COSTMETER_PG_PASSWORD", pg.password()),
                propertiesFile().toString());
    }

    /** Registers (or updates) every connector config and waits until each and its tasks are RUNNING. */
    void registerConnectors(Component worker) throws Exception {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(config.connectorConfigDir(), "*.json")) {
            for (Path file : files) {
                JsonNode connector = JSON.readTree(substitute(Files.readString(file, StandardCharsets.UTF_8)));
                String name = connector.path("name").asText();
                ObjectNode settings = (ObjectNode) connector.path("config");
                if (settings.has(DLQ_TOPIC)) {
                    // A sink's dead-letter topic is replicated like every other topic of the stack.
                    settings.put(DLQ_REPLICATION_FACTOR, Short.toString(config.replicationFactor()));
                }
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                                URI.create(config.connectUrl() + "/connectors/" + name + "/config"))
                        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(settings.toString())).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() / 100 != 2) {
                    throw new LocalStack.StackStartException(worker.failure("refused connector " + name + ": "
                            + answer.statusCode() + " " + answer.body()));
                }
                probes.await(worker, "run connector " + name, () -> running(name));
                log.info("Connector {} is running", name);
            }
        }
    }

    private boolean running(String name) {
        try {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(
                    URI.create(config.connectUrl() + "/connectors/" + name + "/status")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                return false;
            }
            JsonNode status = JSON.readTree(answer.body());
            if (!"RUNNING".equals(status.path("connector").path("state").asText()) || status.path("tasks").isEmpty()) {
                return false;
            }
            for (JsonNode task : status.path("tasks")) {
                if (!"RUNNING".equals(task.path("state").asText())) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Points the shipped configs at this stack: its registry, inbox and PostgreSQL. */
    private String substitute(String json) {
        StackConfig.ExternalPostgres pg = config.postgres();
        return json.replace("http://localhost:8081", config.registryUrl())
                .replace("http://localhost:8099", config.inboxUrl())
                .replace("${COSTMETER_PG_URL}", pg.jdbcUrl())
                .replace("${COSTMETER_PG_USER}", pg.user())
                // The password stays in the worker's environment, out of the connector config topic.
                .replace("${COSTMETER_PG_PASSWORD}", "${env:COSTMETER_PG_PASSWORD}");
    }
}
