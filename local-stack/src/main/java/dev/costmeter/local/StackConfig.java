package dev.costmeter.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * Where the local stack keeps its data, which components it runs and which ports they bind.
 * Defaults are the ones the README documents: one Kafka node on 9092 (controller 9093), registry
 * 8081, one metering-stream on 8090, one alerting-stream on 8091, Kafka Connect 8083, PostgreSQL
 * 5432, on-call inbox 8099, data under {@code .costmeter/}.
 *
 * <p>Extra brokers and app instances take the first instance's port plus 100 per instance: broker
 * 2 listens on 9192 (controller 9193), broker 3 on 9292 (9293), metering-stream-2 on 8190,
 * alerting-stream-2 on 8191. {@link #withFreePorts()} instead gives every component a free port,
 * chosen when the stack starts (and when an instance is added).
 *
 * @param externalPostgres a JDBC URL (with user and password) of a PostgreSQL to use instead of
 *                         starting the embedded one
 * @param shape            how many of each component run
 * @param portChoice       the documented ports (and +100 per instance), or free ones: to be
 *                         picked at start, or picked ({@code ports} and {@code instancePorts} then
 *                         hold the picks, and instances added later get free ports too)
 * @param instancePorts    ports of extra brokers and instances that do not follow the +100 scheme,
 *                         by key ({@code kafka-2}, {@code controller-2}, {@code metering-2}, {@code alerting-2})
 * @param appEnvironment   extra environment of every stream app instance, e.g.
 *                         {@code COSTMETER_NUM_STANDBY_REPLICAS=1} (see AppConfig's mapping)
 * @param gateway          whether the ingest gateway runs (with the stream apps; {@link #withoutGateway()})
 * @param secure           Kafka on SASL_SSL with SCRAM-SHA-512 users per component, a local CA and
 *                         ACLs denying what they do not allow ({@code --secure};
 *                         {@link dev.costmeter.local.security.StackSecurity})
 */
public record StackConfig(Path dataDir, String host, Ports ports, String javaBinary,
        Optional<ExternalPostgres> externalPostgres, Shape shape, PortChoice portChoice, Map<String, Integer> instancePorts,
        Map<String, String> appEnvironment, boolean secure, boolean gateway) {

    /** The ingest gateway's port unless set ({@link #withGatewayPort}, {@code --gateway-port}) or free ports are picked. */
    public static final int DEFAULT_GATEWAY_PORT = 8092;

    /** Port distance between one broker or app instance and the next. */
    public static final int INSTANCE_PORT_STEP = 100;

    /** Where the ports come from. */
    public enum PortChoice {
        /** {@code ports}, and 100 more for each further broker or instance. */
        FIXED,
        /** Free ones, picked when the stack starts. */
        FREE,
        /** Free ones, picked already: {@code ports} and {@code instancePorts} hold them. */
        PICKED
    }

    /** The ports of every component (of the first instance, where there are several). */
    public record Ports(int kafka, int controller, int registry, int metering, int alerting, int connect, int postgres,
            int inbox) {

        public static final Ports DEFAULTS = new Ports(9092, 9093, 8081, 8090, 8091, 8083, 5432, 8099);
    }

    /**
     * How many of each component run.
     *
     * @param connect whether the Kafka Connect worker (with PostgreSQL and the on-call inbox) runs
     */
    public record Shape(int brokers, int meteringInstances, int alertingInstances, boolean connect) {

        public static final Shape DEFAULT = new Shape(1, 1, 1, true);

        public Shape {
            if (brokers < 1) {
                throw new IllegalArgumentException("at least one broker is needed, not " + brokers);
            }
            if (meteringInstances < 0 || alertingInstances < 0) {
                throw new IllegalArgumentException("instance counts cannot be negative");
            }
        }

        /** Whether a stream app runs (and so the price catalog and budgets are applied). */
        public boolean runsStreamApps() {
            return meteringInstances > 0 || alertingInstances > 0;
        }
    }

    /** A PostgreSQL's JDBC URL, user and password: the embedded one's, or one run elsewhere. */
    public record ExternalPostgres(String jdbcUrl, String user, String password) {

        @Override
        public String toString() {
            return "ExternalPostgres[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=(redacted)]";
        }
    }

    public StackConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
        instancePorts = Map.copyOf(instancePorts);
        appEnvironment = Map.copyOf(appEnvironment);
    }

    public static StackConfig defaults(Path dataDir) {
        return new StackConfig(dataDir, "localhost", Ports.DEFAULTS,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), Optional.empty(), Shape.DEFAULT, PortChoice.FIXED,
                Map.of(), Map.of(), false, true);
    }

    public StackConfig withPorts(Ports newPorts) {
        return new StackConfig(dataDir, host, newPorts, javaBinary, externalPostgres, shape, PortChoice.FIXED, Map.of(), appEnvironment, secure, gateway);
    }

    /** Every component on a free port, picked when the stack starts: for tests and fault campaigns. */
    public StackConfig withFreePorts() {
        return new StackConfig(dataDir, host, ports, javaBinary, externalPostgres, shape, PortChoice.FREE, Map.of(), appEnvironment, secure, gateway);
    }

    public StackConfig withExternalPostgres(ExternalPostgres postgres) {
        return new StackConfig(dataDir, host, ports, javaBinary, Optional.of(postgres), shape, portChoice, instancePorts,
                appEnvironment, secure, gateway);
    }

    /** N Kafka nodes, each broker and controller (a quorum of N voters); replication factor min(N, 3). */
    public StackConfig withBrokers(int brokers) {
        return withShape(new Shape(brokers, shape.meteringInstances(), shape.alertingInstances(), shape.connect()));
    }

    public StackConfig withMeteringInstances(int instances) {
        return withShape(new Shape(shape.brokers(), instances, shape.alertingInstances(), shape.connect()));
    }

    public StackConfig withAlertingInstances(int instances) {
        return withShape(new Shape(shape.brokers(), shape.meteringInstances(), instances, shape.connect()));
    }

    /** Without the Kafka Connect worker, PostgreSQL and the on-call inbox. */
    public StackConfig withoutConnect() {
        return withShape(new Shape(shape.brokers(), shape.meteringInstances(), shape.alertingInstances(), false));
    }

    /** Only Kafka, the topics and the registry: for benchmarks that run the apps themselves. */
    public StackConfig infrastructureOnly() {
        return withShape(new Shape(shape.brokers(), 0, 0, false));
    }

    public StackConfig withShape(Shape newShape) {
        return new StackConfig(dataDir, host, ports, javaBinary, externalPostgres, newShape, portChoice, instancePorts,
                appEnvironment, secure, gateway);
    }

    /** Without the ingest gateway: for stacks that only need the pipeline (benchmarks, fault campaigns). */
    public StackConfig withoutGateway() {
        return new StackConfig(dataDir, host, ports, javaBinary, externalPostgres, shape, portChoice, instancePorts, appEnvironment,
                secure, false);
    }

    /** Whether the ingest gateway runs: asked for, and a stream app runs beside it. */
    public boolean runsGateway() {
        return gateway && shape.runsStreamApps();
    }

    /** The ingest gateway on {@code port} (kept in {@code instancePorts} under {@code gateway}); after {@link #withPorts}. */
    public StackConfig withGatewayPort(int port) {
        Map<String, Integer> ports = new HashMap<>(instancePorts);
        ports.put("gateway", port);
        return new StackConfig(dataDir, host, this.ports, javaBinary, externalPostgres, shape, portChoice, ports, appEnvironment, secure, gateway);
    }

    /** Adds {@code env} to the environment of every stream app instance (it wins over the stack's own). */
    public StackConfig withAppEnvironment(Map<String, String> env) {
        Map<String, String> merged = new HashMap<>(appEnvironment);
        merged.putAll(env);
        return new StackConfig(dataDir, host, ports, javaBinary, externalPostgres, shape, portChoice, instancePorts, merged, secure, gateway);
    }

    /** With Kafka secured: SASL_SSL, SCRAM users per component, a local CA, deny-by-default ACLs. */
    public StackConfig withSecurity() {
        return new StackConfig(dataDir, host, ports, javaBinary, externalPostgres, shape, portChoice, instancePorts,
                appEnvironment, true, gateway);
    }

    /** Whether the components take free ports (picked or to be picked) rather than the documented ones. */
    public boolean freePorts() {
        return portChoice != PortChoice.FIXED;
    }

    /**
     * With free ports, a copy whose every port (extra brokers and instances included) is a concrete
     * free one, keeping those picked before; with the documented ports, this config.
     */
    StackConfig withPortsPicked() {
        if (portChoice == PortChoice.FIXED) {
            return this;
        }
        // Each port a socket was free on a moment ago, and none twice: the kernel may hand the same
        // ephemeral port to two sockets opened and closed one after the other (seen in CI: two
        // components given one port).
        Set<Integer> taken = new HashSet<>(instancePorts.values());
        if (portChoice == PortChoice.PICKED) {
            taken.addAll(List.of(ports.kafka(), ports.controller(), ports.registry(), ports.metering(), ports.alerting(),
                    ports.connect(), ports.postgres(), ports.inbox()));
        }
        IntSupplier next = () -> distinctFreePort(taken);
        Ports picked = portChoice == PortChoice.PICKED ? ports
                : new Ports(next.getAsInt(), next.getAsInt(), next.getAsInt(), next.getAsInt(), next.getAsInt(),
                        next.getAsInt(), next.getAsInt(), next.getAsInt());
        Map<String, Integer> extra = new HashMap<>(instancePorts);
        for (int node = 2; node <= shape.brokers(); node++) {
            extra.computeIfAbsent("kafka-" + node, key -> next.getAsInt());
            extra.computeIfAbsent("controller-" + node, key -> next.getAsInt());
        }
        for (int i = 2; i <= shape.meteringInstances(); i++) {
            extra.computeIfAbsent("metering-" + i, key -> next.getAsInt());
        }
        for (int i = 2; i <= shape.alertingInstances(); i++) {
            extra.computeIfAbsent("alerting-" + i, key -> next.getAsInt());
        }
        if (runsGateway()) {
            extra.computeIfAbsent("gateway", key -> next.getAsInt());
        }
        return new StackConfig(dataDir, host, picked, javaBinary, externalPostgres, shape, PortChoice.PICKED, extra,
                appEnvironment, secure, gateway);
    }

    /** Every port the stack's components will bind, by what binds it, in start order. */
    public Map<String, Integer> portsInUse() {
        Map<String, Integer> used = new LinkedHashMap<>();
        for (int node = 1; node <= shape.brokers(); node++) {
            used.put(brokerName(node), brokerPort(node));
            used.put(brokerName(node) + " controller", controllerPort(node));
        }
        used.put("schema registry", ports.registry());
        if (shape.connect() && externalPostgres.isEmpty()) {
            used.put("postgresql", ports.postgres());
        }
        for (int i = 1; i <= shape.meteringInstances(); i++) {
            used.put(instanceName("metering-stream", i, shape.meteringInstances()), meteringPort(i));
        }
        for (int i = 1; i <= shape.alertingInstances(); i++) {
            used.put(instanceName("alerting-stream", i, shape.alertingInstances()), alertingPort(i));
        }
        if (runsGateway()) {
            used.put("ingest gateway", gatewayPort());
        }
        if (shape.connect()) {
            used.put("kafka connect", ports.connect());
            used.put("on-call inbox", ports.inbox());
        }
        return used;
    }

    /** Broker {@code node} (1-based): {@code kafka} when there is one, else {@code kafka-<node>}. */
    public String brokerName(int node) {
        return instanceName("kafka", node, shape.brokers());
    }

    static String instanceName(String base, int instance, int count) {
        return count == 1 && instance == 1 ? base : base + "-" + instance;
    }

    public int brokerPort(int node) {
        return instancePorts.getOrDefault("kafka-" + node, ports.kafka() + (node - 1) * INSTANCE_PORT_STEP);
    }

    public int controllerPort(int node) {
        return instancePorts.getOrDefault("controller-" + node, ports.controller() + (node - 1) * INSTANCE_PORT_STEP);
    }

    public int meteringPort(int instance) {
        return instancePorts.getOrDefault("metering-" + instance, ports.metering() + (instance - 1) * INSTANCE_PORT_STEP);
    }

    public int alertingPort(int instance) {
        return instancePorts.getOrDefault("alerting-" + instance, ports.alerting() + (instance - 1) * INSTANCE_PORT_STEP);
    }

    /** The ingest gateway's port: it runs with the stream apps. */
    public int gatewayPort() {
        return instancePorts.getOrDefault("gateway", DEFAULT_GATEWAY_PORT);
    }

    /** Replication factor of every topic: one per broker, at most 3. */
    public short replicationFactor() {
        return (short) Math.min(shape.brokers(), 3);
    }

    /** With 3 replicas, a write needs 2 of them: one broker may be down without stopping writes or losing any. */
    public int minInsyncReplicas() {
        return Math.max(1, replicationFactor() - 1);
    }

    /** Every broker, comma-separated. */
    public String bootstrapServers() {
        StringBuilder servers = new StringBuilder();
        for (int node = 1; node <= shape.brokers(); node++) {
            servers.append(node == 1 ? "" : ",").append(host).append(':').append(brokerPort(node));
        }
        return servers.toString();
    }

    public String registryUrl() {
        return url(ports.registry());
    }

    /** The first metering-stream instance. */
    public String meteringUrl() {
        return url(meteringPort(1));
    }

    /** The first alerting-stream instance. */
    public String alertingUrl() {
        return url(alertingPort(1));
    }

    public String connectUrl() {
        return url(ports.connect());
    }

    public String inboxUrl() {
        return url(ports.inbox());
    }

    public ExternalPostgres postgres() {
        return externalPostgres.orElse(new ExternalPostgres(
                "jdbc:postgresql://" + host + ":" + ports.postgres() + "/postgres", "postgres", "postgres"));
    }

    String url(int port) {
        return "http://" + host + ":" + port;
    }

    public Path stateDir(String app) {
        return dataDir.resolve("state").resolve(app);
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    /** The checkout's root: found from the working directory upwards (the launcher runs at the root, tests in a module). */
    public static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("examples").resolve("catalog.yaml"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** The price catalog loaded at start. */
    public Path priceCatalog() {
        return checkoutRoot().resolve("examples/catalog.yaml");
    }

    /** The budgets loaded at start. */
    public Path budgets() {
        return checkoutRoot().resolve("examples/budgets.yaml");
    }

    /** The built Connect plugins ({@code ./mvnw package} of sink-connectors). */
    public Path connectPluginPath() {
        return checkoutRoot().resolve("sink-connectors/target/plugin");
    }

    /** Connector configurations registered at start. */
    public Path connectorConfigDir() {
        return checkoutRoot().resolve("sink-connectors/src/main/config");
    }

    /** A port nothing listens on right now. */
    /** A free port not in {@code taken}, added to it. */
    private static int distinctFreePort(Set<Integer> taken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = freePort();
            if (taken.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port outside the " + taken.size() + " this stack already uses");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port", e);
        }
    }
}
