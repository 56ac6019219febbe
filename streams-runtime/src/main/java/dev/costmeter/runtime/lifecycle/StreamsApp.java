package dev.costmeter.runtime.lifecycle;

import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.HttpTls;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.deadletter.CountingLogAndContinueHandler;
import dev.costmeter.runtime.http.HealthStatus;
import dev.costmeter.runtime.http.JsonRoute;
import dev.costmeter.runtime.http.OpsServer;
import dev.costmeter.runtime.query.QueryRouter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one costmeter Kafka Streams application, so that the app itself only builds its
 * topology and its query routes.
 *
 * <p>{@link #create} binds the {@link OpsServer}, builds the {@link KafkaStreams} client with an
 * uncaught-exception handler (logs, counts {@value RuntimeMeters#UNCAUGHT_EXCEPTIONS}, answers
 * {@value #UNCAUGHT_EXCEPTION_RESPONSE_CONFIG}) and a state listener (logs every transition,
 * feeds the gauges {@value RuntimeMeters#STATE} and {@value RuntimeMeters#READY}), binds the Kafka
 * Streams and JVM metrics, and registers the app's routes. {@link #start} logs the topology,
 * starts serving HTTP, then starts the client. {@link #close} stops the HTTP server, closes the
 * client within {@value #SHUTDOWN_TIMEOUT_CONFIG}, then the meter registry.
 *
 * <p>{@link #run} does all of it for a {@code main} method, with a JVM shutdown hook; tests use
 * {@code create(...).start()} and {@code close()}, and may run several instances in one JVM
 * ({@code http.port=0}, {@code application.server=localhost:0}).
 *
 * <p>Configuration read here: {@value #HTTP_HOST_CONFIG} (default 127.0.0.1: nothing is reachable
 * from elsewhere unless told so), the access settings of {@link ApiAccess} (bearer tokens; without
 * them a non-loopback address is refused) and {@link HttpTls} (HTTPS, and https forwarding),
 * {@value #HTTP_PORT_CONFIG} (default 8080; 0 = any free port), {@value #SHUTDOWN_TIMEOUT_CONFIG}
 * (default 30s), {@value #UNCAUGHT_EXCEPTION_RESPONSE_CONFIG} (REPLACE_THREAD, SHUTDOWN_CLIENT or
 * SHUTDOWN_APPLICATION; default REPLACE_THREAD). An {@code application.server} whose port is 0
 * takes the ops server's actual port.
 */
public final class StreamsApp implements AutoCloseable {

    /** Address the ops server binds, default {@code 127.0.0.1}. */
    public static final String HTTP_HOST_CONFIG = "http.host";
    /** Port of the ops server, default 8080; 0 picks a free one. */
    public static final String HTTP_PORT_CONFIG = "http.port";
    /** How long {@link #close()} waits for the client to close, default 30s. */
    public static final String SHUTDOWN_TIMEOUT_CONFIG = "shutdown.timeout";
    /** REPLACE_THREAD (default), SHUTDOWN_CLIENT or SHUTDOWN_APPLICATION. */
    public static final String UNCAUGHT_EXCEPTION_RESPONSE_CONFIG = "uncaught.exception.response";

    static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    static final int DEFAULT_HTTP_PORT = 8080;
    static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** How long after a stream thread failed the instance reports not ready (a crash loop never looks ready). */
    static final Duration THREAD_FAILURE_GRACE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(StreamsApp.class);

    private final String appName;
    private final Topology topology;
    private final AppConfig config;
    private final Duration shutdownTimeout;
    private final PrometheusMeterRegistry registry;
    private final List<AutoCloseable> binders = new ArrayList<>();
    private final OpsServer ops;
    private final KafkaStreams streams;
    private final QueryRouter queryRouter;
    private final BrokerProbe brokers;
    private final Map<String, StartPrecondition> preconditions = new LinkedHashMap<>();
    private volatile String waitingFor;
    private volatile long lastThreadFailureMs = Long.MIN_VALUE;
    private volatile String lastThreadFailure;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);

    private StreamsApp(String appName, Topology topology, Properties props, AppConfig config) {
        this.appName = Objects.requireNonNull(appName, "appName");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.config = Objects.requireNonNull(config, "config");
        this.shutdownTimeout = config.duration(SHUTDOWN_TIMEOUT_CONFIG, DEFAULT_SHUTDOWN_TIMEOUT);
        StreamThreadExceptionResponse response = uncaughtResponse(config);

        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags(RuntimeMeters.APP_TAG, appName);
        KafkaStreams[] client = new KafkaStreams[1];
        Optional<HttpTls> tls;
        try {
            tls = HttpTls.from(config);
            this.ops = OpsServer.bindHealth(config.string(HTTP_HOST_CONFIG, DEFAULT_HTTP_HOST),
                    config.integer(HTTP_PORT_CONFIG, DEFAULT_HTTP_PORT),
                    () -> client[0] == null ? HealthStatus.ofState(KafkaStreams.State.CREATED) : health(), registry,
                    ApiAccess.from(config), tls);
        } catch (RuntimeException e) {
            registry.close();
            throw e;
        }
        Properties streamsProps = new Properties();
        streamsProps.putAll(Objects.requireNonNull(props, "props"));
        this.brokers = new BrokerProbe(new StreamsConfig(streamsProps).getAdminConfigs(appName + "-readiness"),
                System::currentTimeMillis);
        try {
            HostInfo self = resolveApplicationServer(streamsProps, config, ops.port());
            streamsProps.put(CountingLogAndContinueHandler.METER_REGISTRY_CONFIG, registry);
            this.streams = new KafkaStreams(topology, streamsProps);
            client[0] = streams;
            HttpClient.Builder forwarding = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
            tls.ifPresent(t -> forwarding.sslContext(t.client()));
            this.queryRouter = new QueryRouter(streams, self, forwarding.build(), QueryRouter.DEFAULT_FORWARD_TIMEOUT,
                    tls.isPresent() ? "https" : "http");
            installHandlers(response);
            bindMetrics();
        } catch (RuntimeException e) {
            ops.close();
            brokers.close();
            registry.close();
            throw e;
        }
    }

    /**
     * Builds the app without starting it: see the class comment. {@code routes} is called once,
     * with this app, to get the JSON routes by path prefix.
     *
     * @throws ConfigException on bad configuration
     */
    public static StreamsApp create(String appName, Topology topology, Properties props, AppConfig config,
            Function<StreamsApp, Map<String, JsonRoute>> routes) {
        StreamsApp app = new StreamsApp(appName, topology, props, config);
        try {
            Objects.requireNonNull(routes, "routes").apply(app).forEach(app.ops::route);
        } catch (RuntimeException e) {
            app.close();
            throw e;
        }
        return app;
    }

    /**
     * For {@code main}: creates and starts the app with a JVM shutdown hook that closes it, and
     * blocks until it stops. Returns the process exit code: 0 after a shutdown, 1 when the
     * client stopped by itself in ERROR or NOT_RUNNING (so that the orchestrator restarts it), e.g.
     * {@code System.exit(StreamsApp.run(...))}.
     */
    public static int run(String appName, Topology topology, Properties props, AppConfig config,
            Function<StreamsApp, Map<String, JsonRoute>> routes) {
        StreamsApp app = create(appName, topology, props, config, routes);
        app.installShutdownHook();
        try {
            app.start();
            KafkaStreams.State last = app.awaitShutdown();
            boolean failed = !app.closing.get();
            app.close();
            if (failed) {
                log.error("{} stopped in state {}; exiting with status 1", appName, last);
                return 1;
            }
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            app.close();
            return 1;
        } catch (RuntimeException e) {
            log.error("{} failed to start", appName, e);
            app.close();
            return 1;
        }
    }

    /** Closes the app when the JVM shuts down (SIGTERM, Ctrl-C). */
    public StreamsApp installShutdownHook() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, appName + "-shutdown"));
        return this;
    }

    /**
     * Adds something that must hold before the client starts (see {@link StartPrecondition}); call
     * before {@link #start}. Checked in the order added.
     */
    public StreamsApp requireBeforeStart(String what, StartPrecondition precondition) {
        if (started.get()) {
            throw new IllegalStateException("preconditions are added before start");
        }
        preconditions.put(Objects.requireNonNull(what, "what"), Objects.requireNonNull(precondition, "precondition"));
        return this;
    }

    /**
     * Logs the topology and configuration, starts serving HTTP, then starts the client: at once
     * when every {@linkplain #requireBeforeStart precondition} holds, else from a background thread
     * once they do (the instance answers "not ready, waiting for ..." meanwhile).
     */
    public StreamsApp start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException(appName + " already started");
        }
        log.info("Starting {} with {}", appName, config);
        log.info("Topology of {}:\n{}", appName, topology.describe());
        ops.serve();
        if (StartGate.checkOnce(preconditions, this::waitingFor)) {
            streams.start();
            return this;
        }
        Thread starter = new Thread(() -> {
            if (new StartGate(preconditions, closing::get, this::waitingFor).await()) {
                synchronized (this) {
                    if (!closing.get()) {
                        streams.start();
                    }
                }
            }
        }, appName + "-starter");
        starter.setDaemon(true);
        starter.start();
        return this;
    }

    private void waitingFor(String what) {
        waitingFor = what;
    }

    /** Health and readiness now: see {@link #health()}. */
    public HealthStatus health() {
        KafkaStreams.State state = streams.state();
        String pending = waitingFor;
        if (pending != null) {
            return HealthStatus.notReady(state, "waiting for " + pending);
        }
        if (state != KafkaStreams.State.RUNNING) {
            return HealthStatus.notReady(state, null);
        }
        long sinceFailure = System.currentTimeMillis() - lastThreadFailureMs;
        if (lastThreadFailureMs != Long.MIN_VALUE && sinceFailure < THREAD_FAILURE_GRACE.toMillis()) {
            return HealthStatus.notReady(state, "a stream thread failed " + sinceFailure / 1000 + " s ago: " + lastThreadFailure);
        }
        boolean activeTasks = streams.metadataForLocalThreads().stream().anyMatch(t -> !t.activeTasks().isEmpty());
        if (!activeTasks) {
            return HealthStatus.notReady(state, "no active tasks are assigned to this instance");
        }
        if (!brokers.reachable()) {
            return HealthStatus.notReady(state, "the Kafka cluster does not answer");
        }
        return new HealthStatus(state, true, null);
    }

    /**
     * Blocks until the app is closed or the client stops by itself (ERROR or NOT_RUNNING), and
     * returns the client's state then.
     */
    public KafkaStreams.State awaitShutdown() throws InterruptedException {
        stopped.await();
        return streams.state();
    }

    /** As {@link #awaitShutdown()}, giving up after {@code timeout}; true when stopped. */
    public boolean awaitShutdown(Duration timeout) throws InterruptedException {
        return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Stops accepting HTTP requests, closes the client (waiting at most
     * {@value #SHUTDOWN_TIMEOUT_CONFIG}), then the metrics. Idempotent; a second caller waits for
     * the first to finish. Must not be called from a stream thread or the state listener.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            awaitClosed();
            return;
        }
        try {
            log.info("Closing {} (timeout {})", appName, shutdownTimeout);
            ops.close();
            boolean closedInTime;
            synchronized (this) {
                // Leaving the group hands this instance's tasks over at once, instead of after the
                // session timeout: a restart (or the peers) resumes the work without waiting it out.
                closedInTime = streams.close(CloseOptions.timeout(shutdownTimeout)
                        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
            }
            if (!closedInTime) {
                log.warn("{} did not close within {}; state {}", appName, shutdownTimeout, streams.state());
            }
            brokers.close();
            for (AutoCloseable binder : binders) {
                try {
                    binder.close();
                } catch (Exception e) {
                    log.warn("Closing metrics binder {} failed", binder.getClass().getSimpleName(), e);
                }
            }
            registry.close();
            log.info("{} closed", appName);
        } finally {
            closed.countDown();
            stopped.countDown();
        }
    }

    public String appName() {
        return appName;
    }

    public AppConfig config() {
        return config;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public PrometheusMeterRegistry meterRegistry() {
        return registry;
    }

    public QueryRouter queryRouter() {
        return queryRouter;
    }

    /** The ops server, e.g. to add routes late. */
    public OpsServer opsServer() {
        return ops;
    }

    /** The HTTP port actually bound. */
    public int httpPort() {
        return ops.port();
    }

    private void installHandlers(StreamThreadExceptionResponse response) {
        Counter uncaught = Counter.builder(RuntimeMeters.UNCAUGHT_EXCEPTIONS)
                .description("Stream-thread exceptions that reached the uncaught-exception handler")
                .register(registry);
        StreamsUncaughtExceptionHandler handler = uncaughtHandler(appName, response, uncaught);
        streams.setUncaughtExceptionHandler(exception -> {
            lastThreadFailure = String.valueOf(rootCause(exception));
            lastThreadFailureMs = System.currentTimeMillis();
            return handler.handle(exception);
        });
        streams.setStateListener((newState, oldState) -> {
            log.info("{} state {} -> {}", appName, oldState, newState);
            if (newState == KafkaStreams.State.ERROR || newState == KafkaStreams.State.NOT_RUNNING) {
                stopped.countDown();
            }
        });
        Gauge.builder(RuntimeMeters.STATE, streams, s -> s.state().ordinal())
                .description("Ordinal of the Kafka Streams client state (CREATED=0 ... ERROR=6)")
                .strongReference(true)
                .register(registry);
        Gauge.builder(RuntimeMeters.READY, this, app -> app.health().ready() ? 1 : 0)
                .description("1 while the instance is ready (RUNNING, with active tasks, reaching Kafka), else 0")
                .strongReference(true)
                .register(registry);
    }

    private void bindMetrics() {
        KafkaStreamsMetrics kafkaMetrics = new KafkaStreamsMetrics(streams);
        JvmGcMetrics gcMetrics = new JvmGcMetrics();
        binders.add(kafkaMetrics);
        binders.add(gcMetrics);
        for (MeterBinder binder : List.of(kafkaMetrics, gcMetrics, new JvmMemoryMetrics(), new JvmThreadMetrics(),
                new ClassLoaderMetrics(), new ProcessorMetrics(), new UptimeMetrics())) {
            binder.bindTo(registry);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private void awaitClosed() {
        boolean interrupted = false;
        while (true) {
            try {
                closed.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    static StreamsUncaughtExceptionHandler uncaughtHandler(String appName, StreamThreadExceptionResponse response,
            Counter uncaught) {
        return exception -> {
            uncaught.increment();
            log.error("Uncaught exception in a stream thread of {}; responding {}", appName, response, exception);
            return response;
        };
    }

    static StreamThreadExceptionResponse uncaughtResponse(AppConfig config) {
        String value = config.string(UNCAUGHT_EXCEPTION_RESPONSE_CONFIG, StreamThreadExceptionResponse.REPLACE_THREAD.name());
        try {
            return StreamThreadExceptionResponse.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(UNCAUGHT_EXCEPTION_RESPONSE_CONFIG, value,
                    "expected REPLACE_THREAD, SHUTDOWN_CLIENT or SHUTDOWN_APPLICATION");
        }
    }

    /**
     * The instance's {@code application.server} (from the properties, else the config), with a
     * port of 0 replaced by {@code httpPort} and written back to {@code props}; unavailable when
     * not set.
     */
    static HostInfo resolveApplicationServer(Properties props, AppConfig config, int httpPort) {
        Object configured = props.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
        String endpoint = configured != null ? configured.toString()
                : config.optional(StreamsConfig.APPLICATION_SERVER_CONFIG).orElse(null);
        if (endpoint == null || endpoint.isBlank()) {
            return HostInfo.unavailable();
        }
        HostInfo host;
        try {
            host = HostInfo.buildFromEndpoint(endpoint.trim());
        } catch (ConfigException e) {
            throw new ConfigException(StreamsConfig.APPLICATION_SERVER_CONFIG, endpoint, "expected host:port");
        }
        if (host == null) {
            return HostInfo.unavailable();
        }
        if (host.port() == 0) {
            host = new HostInfo(host.host(), httpPort);
        }
        props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, host.host() + ":" + host.port());
        return host;
    }
}
