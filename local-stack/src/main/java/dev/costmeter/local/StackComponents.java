package dev.costmeter.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.costmeter.local.security.StackPrincipal;
import dev.costmeter.local.security.StackSecurity;
import dev.costmeter.schemas.config.ConfigLayers;

/** How each kind of component is launched and probed: the stack's components, made unstarted. */
final class StackComponents {

    static final String METERING = "metering-stream";
    static final String ALERTING = "alerting-stream";
    static final String GATEWAY = "ingest-gateway";
    /**
     * Metering's collector, as in its image (deploy/docker/metering-stream.Dockerfile): the parallel
     * (throughput) collector. Metering is bound by one stream thread's CPU, and the control loop does
     * not wait on it (alerting decides caps and loops from usage itself); G1's write barriers and
     * concurrent refinement cost it 3-9% of its CPU per call (docs/benchmarks.md, issue #19), for
     * pauses it does not need to keep short. Transparent huge pages for the heap (the JVM asks for
     * them with madvise; with the host's THP set to "never" it warns and runs on small pages): 7-15%
     * less CPU per call at the benchmark's default and long-task shapes. The other apps keep G1 and small pages.
     */
    static final List<String> METERING_JVM = List.of("-XX:+UseParallelGC", "-XX:+UseTransparentHugePages");

    private final StackConfig config;
    private final Supervisor supervisor;
    private final KafkaCluster cluster;
    private final StackControlKeys controlKeys;
    private final Optional<StackSecurity> security;

    StackComponents(StackConfig config, Supervisor supervisor, KafkaCluster cluster, StackControlKeys controlKeys,
            Optional<StackSecurity> security) {
        this.config = config;
        this.supervisor = supervisor;
        this.cluster = cluster;
        this.controlKeys = controlKeys;
        this.security = security;
    }

    Component broker(KafkaNode node) {
        return new Component(node.name(), node.port(), logFile(node.name()), node::launch,
                Probes.broker(config.host(), node.port(), node.nodeId(), cluster), supervisor, List::of);
    }

    Component registry() {
        int port = config.ports().registry();
        Map<String, String> env = new HashMap<>(Map.of("COSTMETER_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                "COSTMETER_REGISTRY_PORT", Integer.toString(port),
                "COSTMETER_REGISTRY_HOST", config.host(),
                "COSTMETER_KAFKASTORE_TOPIC_REPLICATION_FACTOR", Short.toString(config.replicationFactor())));
        env.putAll(clientFile(StackPrincipal.REGISTRY));
        String name = "schema-registry";
        return new Component(name, port, logFile(name),
                () -> ChildProcess.start(config, name, port, "dev.costmeter.registry.RegistryMain", List.of("-Xmx256m"), env),
                Probes.http(URI.create(config.registryUrl() + "/subjects")), supervisor, List::of);
    }

    /** The embedded PostgreSQL: its server processes are killed and paused with its JVM. */
    Component postgres() {
        int port = config.ports().postgres();
        Path dataDir = config.dataDir().resolve("postgres");
        String name = "postgresql";
        return new Component(name, port, logFile(name),
                () -> ChildProcess.start(config, name, port, PostgresMain.class.getName(), List.of("-Xmx128m"), Map.of(),
                        dataDir.toString(), Integer.toString(port)),
                Probes.jdbc(config.postgres()), supervisor, () -> PostgresMain.serverProcesses(dataDir));
    }

    Component metering(String name, int port) {
        return app(name, port, "dev.costmeter.metering.MeteringApp", clientFile(StackPrincipal.METERING), METERING_JVM);
    }

    /** An alerting-stream instance, with the stack's kill-switch keys (by file reference). */
    Component alerting(String name, int port) {
        Map<String, String> env = new HashMap<>(controlKeys.alertingEnvironment());
        env.putAll(clientFile(StackPrincipal.ALERTING));
        return app(name, port, "dev.costmeter.alerting.AlertingApp", env);
    }

    /**
     * On a secure stack, the component's client file as its {@code COSTMETER_CONFIG_FILE}: its
     * password reaches it by file, never in its environment or command line.
     */
    private Map<String, String> clientFile(StackPrincipal principal) {
        return security.map(s -> Map.of(ConfigLayers.CONFIG_FILE_ENV, s.clientFile(principal).toString())).orElse(Map.of());
    }

    /**
     * The ingest gateway (OTLP traces, HTTP usage, switches over HTTP): a Kafka client with the
     * services' rights (write usage, read control), the stack's public kill-switch key.
     */
    Component gateway() {
        int port = config.gatewayPort();
        Map<String, String> env = new HashMap<>(Map.of("COSTMETER_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                "COSTMETER_SCHEMA_REGISTRY_URL", config.registryUrl(),
                "COSTMETER_HTTP_HOST", config.host(),
                "COSTMETER_HTTP_PORT", Integer.toString(port),
                "COSTMETER_CONTROL_VERIFY_KEYS", "file:" + controlKeys.verifyKeysFile().toAbsolutePath()));
        env.putAll(clientFile(StackPrincipal.SERVICE));
        return new Component(GATEWAY, port, logFile(GATEWAY),
                () -> ChildProcess.start(config, GATEWAY, port, "dev.costmeter.gateway.GatewayApp", List.of("-Xmx256m"), env),
                Probes.http(URI.create(config.url(port) + "/health/ready")), supervisor, List::of);
    }

    Component connect(ConnectWorker worker) {
        int port = config.ports().connect();
        return new Component(ConnectWorker.NAME, port, logFile(ConnectWorker.NAME), worker::launch,
                Probes.http(URI.create(config.connectUrl() + "/connectors")), supervisor, List::of);
    }

    private Component app(String name, int port, String mainClass, Map<String, String> ownEnv) {
        return app(name, port, mainClass, ownEnv, List.of());
    }

    private Component app(String name, int port, String mainClass, Map<String, String> ownEnv, List<String> jvmOptions) {
        // Alone, as much heap as each app always had; with several brokers and instances on one machine, less.
        List<String> jvm = new ArrayList<>(config.shape().brokers() == 1 ? List.of("-Xmx1g") : List.of("-Xmx768m"));
        jvm.addAll(jvmOptions);
        Map<String, String> env = new HashMap<>(ownEnv);
        env.putAll(appEnv(name, port));
        return new Component(name, port, logFile(name), () -> ChildProcess.start(config, name, port, mainClass, jvm, env),
                Probes.http(URI.create(config.url(port) + "/health/ready")), supervisor, List::of);
    }

    /** Environment of a costmeter stream app: where Kafka and the registry are, its port and state. */
    Map<String, String> appEnv(String name, int port) {
        Map<String, String> env = new HashMap<>(Map.of("COSTMETER_BOOTSTRAP_SERVERS", config.bootstrapServers(),
                "COSTMETER_SCHEMA_REGISTRY_URL", config.registryUrl(),
                "COSTMETER_HTTP_HOST", config.host(),
                "COSTMETER_HTTP_PORT", Integer.toString(port),
                "COSTMETER_APPLICATION_SERVER", config.host() + ":" + port,
                "COSTMETER_STATE_DIR", config.stateDir(name).toString()));
        if (config.shape().brokers() > 1) {
            // Changelog and repartition topics replicated like every other topic (streams.* keys pass to Kafka Streams).
            env.put("COSTMETER_STREAMS_REPLICATION_FACTOR", Short.toString(config.replicationFactor()));
            env.put("COSTMETER_STREAMS_TOPIC_MIN_INSYNC_REPLICAS", Integer.toString(config.minInsyncReplicas()));
        }
        env.putAll(config.appEnvironment());
        return env;
    }

    Path logFile(String name) {
        return config.logDir().resolve(name + ".log");
    }
}
