package dev.costmeter.deploy.local;

import dev.costmeter.schemas.topics.TopicNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole costmeter pipeline on one machine: a KRaft Kafka node, the topics, the schema
 * registry and metering-stream, each a supervised child process, started in dependency order and stopped in reverse.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final StackConfig config;
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean closing;

    private LocalStack(StackConfig config) {
        this.config = config;
    }

    /**
     * Starts every component and returns once all are healthy.
     *
     * @throws StackStartException naming the component, its port and its log when one fails
     */
    public static LocalStack start(StackConfig config) throws StackStartException {
        LocalStack stack = new LocalStack(config);
        try {
            stack.startAll();
            return stack;
        } catch (StackStartException e) {
            stack.close();
            throw e;
        } catch (Exception e) {
            stack.close();
            throw new StackStartException("Local stack failed to start: " + e.getMessage(), e);
        }
    }

    private void startAll() throws Exception {
        ensurePortFree("kafka", config.kafkaPort());
        ensurePortFree("kafka controller", config.controllerPort());
        ensurePortFree("schema registry", config.registryPort());
        ensurePortFree("metering-stream", config.meteringPort());

        KafkaNode kafkaNode = new KafkaNode(config);
        kafkaNode.prepare();
        ChildProcess kafka = track(kafkaNode.start());
        awaitKafka(kafka);

        try (Admin admin = admin()) {
            TopicPlan.apply(admin, TopicPlan.specs(TopicNames.defaults(), 6), (short) 1);
        }

        ChildProcess registry = track(ChildProcess.start(config, "schema-registry", config.registryPort(),
                "dev.costmeter.registry.RegistryMain", List.of("-Xmx256m"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                        "REGISTRY_PORT", Integer.toString(config.registryPort()),
                        "REGISTRY_HOST", config.host())));
        awaitHttp(registry, URI.create(config.registryUrl() + "/subjects"));
        if (!config.runApps()) {
            return;
        }
        loadPriceCatalog();

        ChildProcess metering = track(ChildProcess.start(config, "metering-stream", config.meteringPort(),
                "dev.costmeter.metering.MeteringApp", List.of("-Xmx1g"), appEnv(config.meteringPort(), "metering-stream")));
        awaitHttp(metering, URI.create(config.meteringUrl() + "/health/ready"));
    }

    /** Publishes the shipped price catalog; an unchanged catalog publishes nothing. */
    private void loadPriceCatalog() throws StackStartException {
        java.nio.file.Path catalog = config.priceCatalog();
        if (!java.nio.file.Files.exists(catalog)) {
            log.warn("No price catalog at {}; every call will be ledgered unpriced until prices are applied", catalog);
            return;
        }
        int exit = dev.costmeter.cli.Costctl.commandLine(new dev.costmeter.cli.Costctl()).execute(
                "--bootstrap-servers", config.bootstrapServers(), "--schema-registry-url", config.registryUrl(),
                "prices", "apply", catalog.toString());
        if (exit != 0) {
            throw new StackStartException("Applying the price catalog " + catalog + " failed (costctl exit " + exit + ")");
        }
    }

    /** Environment of a costmeter stream app: where Kafka and the registry are, its port and state. */
    private Map<String, String> appEnv(int httpPort, String app) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", config.registryUrl(),
                "COSTMETER_HTTP_HOST", config.host(),
                "COSTMETER_HTTP_PORT", Integer.toString(httpPort),
                "COSTMETER_STATE_DIR", config.stateDir(app).toString());
    }

    /** The running components, in start order. */
    public List<ChildProcess> children() {
        synchronized (children) {
            return List.copyOf(children);
        }
    }

    /** metering-stream's query API, e.g. http://localhost:8090. */
    public String meteringUrl() {
        return config.meteringUrl();
    }

    /** Kafka's bootstrap servers, e.g. localhost:9092. */
    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    /** The registry's base URL, e.g. http://localhost:8081. */
    public String registryUrl() {
        return config.registryUrl();
    }

    /**
     * Blocks until a component exits on its own (returns it) or the stack is closed (returns null).
     */
    public ChildProcess awaitFailure() throws InterruptedException {
        while (!closing) {
            synchronized (children) {
                for (ChildProcess child : children) {
                    if (!child.isAlive()) {
                        return closing ? null : child;
                    }
                }
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        return null;
    }

    /** Stops every component, the last started first. Safe to call more than once. */
    @Override
    public void close() {
        closing = true;
        List<ChildProcess> reversed;
        synchronized (children) {
            reversed = new ArrayList<>(children);
        }
        Collections.reverse(reversed);
        for (ChildProcess child : reversed) {
            child.stop(STOP_GRACE);
        }
    }

    private ChildProcess track(ChildProcess child) {
        children.add(child);
        return child;
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        return Admin.create(props);
    }

    private void awaitKafka(ChildProcess kafka) throws StackStartException, InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        try (Admin admin = admin()) {
            while (Instant.now().isBefore(deadline)) {
                if (!kafka.isAlive()) {
                    throw new StackStartException(kafka.failure("exited during start-up"));
                }
                try {
                    if (!admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty()) {
                        log.info("kafka is ready at {}", config.bootstrapServers());
                        return;
                    }
                } catch (Exception notYet) {
                    log.debug("kafka not ready yet: {}", notYet.toString());
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        throw new StackStartException(kafka.failure("did not become ready within " + START_TIMEOUT.toSeconds() + " s"));
    }

    private void awaitHttp(ChildProcess child, URI probe) throws StackStartException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!child.isAlive()) {
                throw new StackStartException(child.failure("exited during start-up"));
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(probe).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    log.info("{} is ready at {}", child.name(), probe.resolve("/"));
                    return;
                }
            } catch (IOException notYet) {
                log.debug("{} not ready yet: {}", child.name(), notYet.toString());
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new StackStartException(child.failure("did not answer " + probe + " within " + START_TIMEOUT.toSeconds() + " s"));
    }

    private void ensurePortFree(String component, int port) throws StackStartException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(config.host(), port));
        } catch (IOException e) {
            throw new StackStartException(component + " cannot start: port " + port + " on " + config.host()
                    + " is already in use (is another costmeter stack or Kafka running?)");
        }
    }

    /** The stack could not start; the message names the component, its port and its log. */
    public static final class StackStartException extends Exception {
        public StackStartException(String message) {
            super(message);
        }

        public StackStartException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
