package dev.costmeter.deploy.local;

import dev.costmeter.schemas.topics.TopicNames;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole costmeter pipeline on one machine, each component a supervised child process started
 * in dependency order and stopped in reverse: a KRaft Kafka node, the topics, the schema registry,
 * PostgreSQL, metering-stream, alerting-stream, the on-call inbox and a Kafka Connect worker with
 * the ledger and alert sinks. The shipped price catalog and budgets are applied on the way.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final StackConfig config;
    private final List<ChildProcess> children = Collections.synchronizedList(new ArrayList<>());
    private final Probes probes;
    private OnCallInbox inbox;
    private volatile boolean closing;

    private LocalStack(StackConfig config) {
        this.config = config;
        this.probes = new Probes(START_TIMEOUT);
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
        } catch (Exception | LinkageError e) {
            // Whatever failed, nothing of a half-started stack is left running.
            stack.close();
            throw new StackStartException("Local stack failed to start: " + e, e);
        }
    }

    private void startAll() throws Exception {
        StackConfig.Ports ports = config.ports();
        Map<String, Integer> needed = new LinkedHashMap<>();
        needed.put("kafka", ports.kafka());
        needed.put("kafka controller", ports.controller());
        needed.put("schema registry", ports.registry());
        if (config.runApps()) {
            needed.put("metering-stream", ports.metering());
            needed.put("alerting-stream", ports.alerting());
            needed.put("kafka connect", ports.connect());
            needed.put("on-call inbox", ports.inbox());
            if (config.externalPostgres().isEmpty()) {
                needed.put("postgresql", ports.postgres());
            }
        }
        for (Map.Entry<String, Integer> port : needed.entrySet()) {
            ensurePortFree(port.getKey(), port.getValue());
        }

        KafkaNode kafkaNode = new KafkaNode(config);
        kafkaNode.prepare();
        ChildProcess kafka = track(kafkaNode.start());
        probes.awaitKafka(kafka, config.bootstrapServers());
        try (Admin admin = admin()) {
            TopicPlan.apply(admin, TopicPlan.specs(TopicNames.defaults(), 6), (short) 1);
        }

        ChildProcess registry = track(ChildProcess.start(config, "schema-registry", ports.registry(),
                "dev.costmeter.registry.RegistryMain", List.of("-Xmx256m"),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                        "REGISTRY_PORT", Integer.toString(ports.registry()),
                        "REGISTRY_HOST", config.host())));
        probes.awaitHttp(registry, URI.create(config.registryUrl() + "/subjects"));
        if (!config.runApps()) {
            return;
        }
        Costctl.apply(config, "prices", config.priceCatalog());
        Costctl.apply(config, "budgets", config.budgets());

        if (config.externalPostgres().isEmpty()) {
            ChildProcess postgres = track(ChildProcess.start(config, "postgresql", ports.postgres(),
                    PostgresMain.class.getName(), List.of("-Xmx128m"), Map.of(),
                    config.dataDir().resolve("postgres").toString(), Integer.toString(ports.postgres())));
            probes.await(postgres, "accept JDBC connections", this::postgresAnswers);
        } else if (!postgresAnswers()) {
            throw new StackStartException("External PostgreSQL at " + config.postgres().jdbcUrl() + " does not accept connections");
        }

        ChildProcess metering = track(ChildProcess.start(config, "metering-stream", ports.metering(),
                "dev.costmeter.metering.MeteringApp", List.of("-Xmx1g"), appEnv(ports.metering(), "metering-stream")));
        probes.awaitHttp(metering, URI.create(config.meteringUrl() + "/health/ready"));
        ChildProcess alerting = track(ChildProcess.start(config, "alerting-stream", ports.alerting(),
                "dev.costmeter.alerting.AlertingApp", List.of("-Xmx1g"), appEnv(ports.alerting(), "alerting-stream")));
        probes.awaitHttp(alerting, URI.create(config.alertingUrl() + "/health/ready"));

        inbox = OnCallInbox.start(config.host(), ports.inbox(), config.dataDir().resolve("inbox"), System.out);
        ConnectWorker connect = new ConnectWorker(config, probes);
        connect.registerConnectors(track(connect.start()));
    }

    /** The running child processes, in start order. */
    public List<ChildProcess> children() {
        synchronized (children) {
            return List.copyOf(children);
        }
    }

    /** What the on-call inbox received so far (empty when the apps are not run). */
    public List<OnCallInbox.Page> pages() {
        return inbox == null ? List.of() : inbox.pages();
    }

    public StackConfig config() {
        return config;
    }

    public String meteringUrl() {
        return config.meteringUrl();
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

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
        if (inbox != null) {
            inbox.close();
        }
    }

    private boolean postgresAnswers() {
        StackConfig.ExternalPostgres pg = config.postgres();
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            return connection.isValid(2);
        } catch (Exception notYet) {
            return false;
        }
    }

    /** Environment of a costmeter stream app: where Kafka and the registry are, its port and state. */
    private Map<String, String> appEnv(int httpPort, String app) {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                "SCHEMA_REGISTRY_URL", config.registryUrl(),
                "COSTMETER_HTTP_HOST", config.host(),
                "COSTMETER_HTTP_PORT", Integer.toString(httpPort),
                "COSTMETER_APPLICATION_SERVER", config.host() + ":" + httpPort,
                "COSTMETER_STATE_DIR", config.stateDir(app).toString());
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
