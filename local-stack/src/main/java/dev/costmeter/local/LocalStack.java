package dev.costmeter.local;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.local.security.StackAcls;
import dev.costmeter.local.security.StackPrincipal;
import dev.costmeter.local.security.StackSecurity;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.schemas.topics.TopicPlan;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole costmeter pipeline on one machine, each component a supervised child process: N KRaft
 * Kafka nodes, the topics, the schema registry, PostgreSQL, M metering-stream and K alerting-stream
 * instances, the on-call inbox and a Kafka Connect worker with the ledger and alert sinks. The
 * shipped price catalog and budgets are applied on the way. Independent components start at the
 * same time; each waits only for what it needs. Once up, a component that exits on its own is
 * restarted ({@link Component}); {@link #close()} stops everything, the last started first.
 *
 * <p>Component names: {@code kafka} (or {@code kafka-1..N}), {@code schema-registry},
 * {@code postgresql}, {@code metering-stream} (or {@code metering-stream-1..M}),
 * {@code alerting-stream} (or {@code alerting-stream-1..K}), {@code ingest-gateway}, {@code kafka-connect}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final StackConfig config;
    private final Supervisor supervisor = Supervisor.standard();
    private final Probes probes = new Probes(START_TIMEOUT);
    private final KafkaCluster cluster;
    private final StackComponents make;
    private final List<Component> components = new CopyOnWriteArrayList<>();
    private final List<Component> brokers = new CopyOnWriteArrayList<>();
    private final List<Component> metering = new CopyOnWriteArrayList<>();
    private final List<Component> alerting = new CopyOnWriteArrayList<>();
    private final StackControlKeys controlKeys;
    private final Optional<StackSecurity> security;
    private final StartProgress progress;
    private final long startedNanos = System.nanoTime();
    private volatile OnCallInbox inbox;

    private LocalStack(StackConfig config, StartProgress progress) throws StackStartException {
        this.config = config;
        this.progress = progress;
        KafkaCluster.checkSameSecurity(config);
        this.security = config.secure() ? Optional.of(StackSecurity.loadOrCreate(config.dataDir(),
                IntStream.rangeClosed(1, config.shape().brokers()).mapToObj(config::brokerName).toList(), config.host()))
                : Optional.empty();
        this.cluster = new KafkaCluster(config, security);
        this.controlKeys = StackControlKeys.loadOrCreate(config.dataDir());
        this.make = new StackComponents(config, supervisor, cluster, controlKeys, security);
    }

    /** With --secure, the CA, users and client files under the data directory. */
    public Optional<StackSecurity> security() {
        return security;
    }

    /**
     * The Kafka client settings {@code principal} connects with: its SASL_SSL and SCRAM settings on
     * a secure stack, none on a plaintext one.
     */
    public Map<String, String> clientSecurity(StackPrincipal principal) {
        return security.map(s -> s.clientProperties(principal)).orElse(Map.of());
    }

    /** The stack's kill-switch key pair (alerting signs with it; services verify with its public half). */
    public StackControlKeys controlKeys() {
        return controlKeys;
    }

    /**
     * Starts every component and returns once all are healthy.
     *
     * @throws StackStartException naming the component, its port and its log when one fails
     */
    public static LocalStack start(StackConfig config) throws StackStartException {
        return start(config, StartProgress.logged());
    }

    /**
     * As {@link #start(StackConfig)}, telling {@code progress} as each component comes up.
     *
     * @throws StackStartException naming the component, its port and its log when one fails
     */
    public static LocalStack start(StackConfig config, StartProgress progress) throws StackStartException {
        LocalStack stack;
        try {
            stack = new LocalStack(config.withPortsPicked(), progress);
        } catch (RuntimeException e) {
            throw new StackStartException(e.getMessage(), e);
        }
        // (a StackStartException from the constructor, a refused data directory, passes as it is)
        try {
            long start = System.nanoTime();
            stack.startAll();
            stack.components.forEach(Component::supervise);
            log.info("Local stack up in {} ms", (System.nanoTime() - start) / 1_000_000);
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
        checkPorts();
        StackConfig.Shape shape = config.shape();
        cluster.nodes().forEach(node -> brokers.add(register(make.broker(node))));
        Component registry = register(make.registry());
        Optional<Component> postgres = shape.connect() && config.externalPostgres().isEmpty()
                ? Optional.of(register(make.postgres())) : Optional.empty();
        for (int i = 1; i <= shape.meteringInstances(); i++) {
            metering.add(register(make.metering(StackConfig.instanceName(StackComponents.METERING, i,
                    shape.meteringInstances()), config.meteringPort(i))));
        }
        for (int i = 1; i <= shape.alertingInstances(); i++) {
            alerting.add(register(make.alerting(StackConfig.instanceName(StackComponents.ALERTING, i,
                    shape.alertingInstances()), config.alertingPort(i))));
        }
        Optional<Component> gateway = config.runsGateway() ? Optional.of(register(make.gateway())) : Optional.empty();
        ConnectWorker worker = new ConnectWorker(config, probes, security);
        Optional<Component> connect = shape.connect() ? Optional.of(register(make.connect(worker))) : Optional.empty();

        // PostgreSQL needs nothing, so it starts beside Kafka.
        List<ParallelSteps.Step> first = new ArrayList<>();
        first.add(this::startKafka);
        postgres.ifPresent(pg -> first.add(() -> startAndAwait(pg)));
        if (shape.connect() && postgres.isEmpty()) {
            first.add(this::checkExternalPostgres);
        }
        ParallelSteps.run(first);

        startAndAwait(registry);
        registerContractSchemas();
        if (shape.runsStreamApps()) {
            StdoutToLog.run(() -> ParallelSteps.run(List.of(() -> Costctl.apply(config, security, "prices", config.priceCatalog()),
                    () -> Costctl.apply(config, security, "budgets", config.budgets()))));
            reached("prices, budgets", "applied from " + shortPath(config.priceCatalog()) + " and " + shortPath(config.budgets()));
        }

        // The apps and Connect need Kafka, the registry, the prices and budgets, PostgreSQL; not each other.
        List<ParallelSteps.Step> last = new ArrayList<>();
        metering.forEach(app -> last.add(() -> startAndAwait(app)));
        alerting.forEach(app -> last.add(() -> startAndAwait(app)));
        gateway.ifPresent(g -> last.add(() -> startAndAwait(g)));
        if (connect.isPresent()) {
            inbox = OnCallInbox.start(config.host(), config.ports().inbox(), config.dataDir().resolve("inbox"), progress.pages());
            reached("on-call inbox", config.inboxUrl());
            worker.writeProperties();
            last.add(() -> {
                connect.get().start();
                probes.await(connect.get());
                worker.registerConnectors(connect.get());
                reached(connect.get().name(), config.connectUrl() + ", ledger and alert sinks running");
            });
        }
        if (!last.isEmpty()) {
            ParallelSteps.run(last);
        }
    }

    /** Every contract schema under its topic's subject, so clients that only look schemas up work from the start. */
    private void registerContractSchemas() {
        Map<String, String> settings = new HashMap<>(clientSecurity(StackPrincipal.OPERATOR));
        settings.put(dev.costmeter.schemas.registry.RegistryClientConfig.URL, config.registryUrl());
        Map<String, Integer> ids = ContractSchemas.registerAll(settings, TopicNames.defaults());
        log.info("Contract schemas registered: {}", ids);
        reached("contract schemas", ids.size() + " subjects registered (" + TopicNames.defaults().usage() + "-value, ...)");
    }

    private void startKafka() throws Exception {
        cluster.prepare();
        for (Component broker : brokers) {
            broker.start();
        }
        for (Component broker : brokers) {
            probes.await(broker);
            reached(broker.name(), address(broker));
        }
        List<String> groups = new ArrayList<>();
        if (!metering.isEmpty()) {
            groups.add(MeteringApp.defaults().get("application.id"));
        }
        if (!alerting.isEmpty()) {
            groups.add(AlertingApp.defaults().get("application.id"));
        }
        var topics = TopicPlan.specs(TopicNames.defaults(), 6);
        TopicPlan.apply(cluster.admin(), topics, config.replicationFactor(), config.minInsyncReplicas());
        reached("topics", topics.size() + " in place, replication factor " + config.replicationFactor());
        if (security.isPresent()) {
            // Before any component starts: with deny-by-default, each can do only what these allow.
            cluster.admin().createAcls(StackAcls.bindings(TopicNames.defaults(), MeteringApp.defaults().get("application.id"),
                    AlertingApp.defaults().get("application.id"))).all().get(START_TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            log.info("ACLs in place; Kafka denies what they do not allow");
        }
        StaleGroupMembers.remove(cluster.admin(), groups);
    }

    private void startAndAwait(Component component) throws Exception {
        component.start();
        probes.await(component);
        reached(component.name(), address(component));
    }

    private void reached(String part, String where) {
        progress.up(part, where, Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /** Where a started component answers, as its users would reach it. */
    private String address(Component component) {
        if (brokers.contains(component)) {
            return config.host() + ":" + component.port();
        }
        if (metering.contains(component) || alerting.contains(component) || component.name().equals("schema-registry")
                || component.name().equals(StackComponents.GATEWAY)) {
            return config.url(component.port());
        }
        return config.host() + ":" + component.port();
    }

    private static String shortPath(java.nio.file.Path file) {
        java.nio.file.Path here = java.nio.file.Path.of("").toAbsolutePath();
        java.nio.file.Path absolute = file.toAbsolutePath();
        return absolute.startsWith(here) ? here.relativize(absolute).toString() : file.toString();
    }

    private void checkExternalPostgres() throws StackStartException {
        if (!Probes.postgresAnswers(config.postgres())) {
            throw new StackStartException("External PostgreSQL at " + config.postgres().jdbcUrl() + " does not accept connections");
        }
    }

    /** Every component, in start order (instances added later at the end). */
    public List<Component> components() {
        return List.copyOf(components);
    }

    /**
     * The component named {@code name}. With a single broker or instance, {@code kafka-1} (or
     * {@code metering-stream-1}, ...) names the unnumbered one too.
     *
     * @throws IllegalArgumentException when there is none
     */
    public Component component(String name) {
        for (Component component : components) {
            if (component.name().equals(name)) {
                return component;
            }
        }
        if (name.endsWith("-1")) {
            String unnumbered = name.substring(0, name.length() - 2);
            for (Component component : components) {
                if (component.name().equals(unnumbered)) {
                    return component;
                }
            }
        }
        throw new IllegalArgumentException("No component " + name + "; there are "
                + components.stream().map(Component::name).toList());
    }

    /** The Kafka nodes, by node id. */
    public List<Component> brokers() {
        return List.copyOf(brokers);
    }

    public List<Component> meteringInstances() {
        return List.copyOf(metering);
    }

    public List<Component> alertingInstances() {
        return List.copyOf(alerting);
    }

    /** What the on-call inbox received so far (empty when Connect is not run). */
    public List<OnCallInbox.Page> pages() {
        OnCallInbox current = inbox;
        return current == null ? List.of() : current.pages();
    }

    /** The configuration the stack runs with: with {@link StackConfig#withFreePorts()}, the ports it picked. */
    public StackConfig config() {
        return config;
    }

    public String bootstrapServers() {
        return config.bootstrapServers();
    }

    public String registryUrl() {
        return config.registryUrl();
    }

    /** The first metering-stream instance's URL. */
    public String meteringUrl() {
        return metering.isEmpty() ? config.meteringUrl() : config.url(metering.get(0).port());
    }

    public List<String> meteringUrls() {
        return metering.stream().map(app -> config.url(app.port())).toList();
    }

    public List<String> alertingUrls() {
        return alerting.stream().map(app -> config.url(app.port())).toList();
    }

    /** The ingest gateway's URL (OTLP traces, HTTP usage, switches over HTTP); it runs with the stream apps. */
    public String gatewayUrl() {
        return config.url(config.gatewayPort());
    }

    public String connectUrl() {
        return config.connectUrl();
    }

    /** JDBC URL, user and password of the ledger's PostgreSQL. */
    public StackConfig.ExternalPostgres postgres() {
        return config.postgres();
    }

    /** The node id of the active controller (the metadata quorum's leader). */
    public int activeControllerId() throws InterruptedException, ExecutionException, TimeoutException {
        return cluster.activeControllerId();
    }

    /** Waits until every component that should run (not held down, not terminated) runs and answers its health probe. */
    public void awaitHealthy(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Component component : components) {
            if (component.expectedUp()) {
                component.awaitHealthy(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            }
        }
    }

    /**
     * Restarts the brokers one at a time (SIGTERM, start, healthy), the active controller last, each
     * only once no partition is under-replicated.
     */
    public void rollingBrokerRestart() throws Exception {
        cluster.awaitFullyReplicated(START_TIMEOUT);
        int controller = activeControllerId();
        List<Component> order = new ArrayList<>(brokers);
        order.sort(Comparator.comparing(broker -> broker == brokerWithId(controller)));
        for (Component broker : order) {
            log.info("Rolling restart: {}", broker.name());
            broker.restart();
            broker.awaitHealthy(START_TIMEOUT);
            cluster.awaitFullyReplicated(START_TIMEOUT);
        }
    }

    private Component brokerWithId(int nodeId) {
        return nodeId >= 1 && nodeId <= brokers.size() ? brokers.get(nodeId - 1) : null;
    }

    /**
     * Starts one more metering-stream instance (its own port, state directory and
     * {@code application.server}) and returns once it answers {@code /health/live}: it may still be
     * waiting for tasks, which the group's rebalance decides.
     */
    public synchronized Component addMeteringInstance() throws StackStartException, InterruptedException, IOException {
        int index = metering.stream().mapToInt(app -> instanceIndex(app.name())).max().orElse(0) + 1;
        String name = StackComponents.METERING + "-" + index;
        int port = config.freePorts() ? StackConfig.freePort() : config.meteringPort(index);
        ensurePortFree(name, port);
        Component app = make.metering(name, port);
        app.start();
        try {
            probes.await(app, "answer /health/live", Probes.http(java.net.URI.create(config.url(port) + "/health/live")).check());
        } catch (StackStartException | InterruptedException e) {
            app.retire(Component.STOP_GRACE);
            throw e;
        }
        metering.add(app);
        components.add(app);
        app.supervise();
        return app;
    }

    /** Stops a metering-stream instance gracefully and forgets it (its state directory stays). */
    public synchronized void removeMeteringInstance(Component instance) {
        if (!metering.remove(instance)) {
            throw new IllegalArgumentException(instance.name() + " is not a metering-stream instance of this stack");
        }
        components.remove(instance);
        instance.retire(Component.STOP_GRACE);
    }

    private static int instanceIndex(String name) {
        int dash = name.lastIndexOf('-');
        String suffix = name.substring(dash + 1);
        return suffix.chars().allMatch(Character::isDigit) ? Integer.parseInt(suffix) : 1;
    }

    /**
     * Stops every component, the last started first; the brokers, started together, stop together
     * (one by one, the last would wait for a controller quorum that is gone). Pending restarts are
     * dropped first. Safe to call more than once.
     */
    @Override
    public void close() {
        supervisor.close();
        // Before the brokers go: the client would log every connection it loses to them.
        cluster.close();
        List<Component> reversed = new ArrayList<>(components);
        reversed.removeAll(brokers);
        java.util.Collections.reverse(reversed);
        for (Component component : reversed) {
            component.retire(Component.STOP_GRACE);
        }
        List<Thread> stopping = new ArrayList<>();
        for (Component broker : brokers) {
            Thread stop = new Thread(() -> broker.retire(Component.STOP_GRACE), "stop-" + broker.name());
            stop.start();
            stopping.add(stop);
        }
        for (Thread stop : stopping) {
            try {
                stop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        OnCallInbox current = inbox;
        if (current != null) {
            current.close();
        }
    }

    private Component register(Component component) {
        components.add(component);
        return component;
    }

    private void checkPorts() throws StackStartException {
        Map<Integer, String> byPort = new HashMap<>();
        for (Map.Entry<String, Integer> use : config.portsInUse().entrySet()) {
            String other = byPort.putIfAbsent(use.getValue(), use.getKey());
            if (other != null) {
                throw new StackStartException(other + " and " + use.getKey() + " would both use port " + use.getValue());
            }
        }
        for (Map.Entry<String, Integer> use : config.portsInUse().entrySet()) {
            ensurePortFree(use.getKey(), use.getValue());
        }
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
