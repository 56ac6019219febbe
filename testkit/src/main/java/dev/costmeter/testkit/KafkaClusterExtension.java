package dev.costmeter.testkit;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test class a real Kafka cluster, started before its first test and stopped after its
 * last:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
 *
 * @Test
 * void shouldCountUsage(KafkaCluster kafka) {
 *     String topic = kafka.createUniqueTopic("usage", 3);
 *     ...
 * }
 * }</pre>
 *
 * <p>Where the cluster runs, first match wins:
 * <ol>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (environment or system property) names an external
 *       cluster, used as it is and never stopped;</li>
 *   <li>{@code COSTMETER_KAFKA=testcontainers} starts an {@code apache/kafka} container
 *       ({@code COSTMETER_KAFKA_IMAGE} overrides the image) if {@code org.testcontainers:kafka} is
 *       on the test classpath, a Docker engine answers and one broker was asked for; otherwise a
 *       warning is logged and the next mode is used;</li>
 *   <li>Kafka's own test kit in this JVM, with combined KRaft nodes. Only this mode can
 *       {@linkplain KafkaCluster#stopBroker(int) stop and restart brokers}.</li>
 * </ol>
 *
 * <p>Brokers are set up for exactly-once Streams tests: internal topics replicated
 * {@code min(3, brokers)} times with {@code min.insync.replicas} of {@code min(2, brokers)}, no
 * initial rebalance delay, and no topic auto-creation.
 *
 * <p>The {@link KafkaCluster} is injected into test constructors, {@code @BeforeAll},
 * {@code @BeforeEach} and test methods that declare it, and is available from {@link #cluster()}.
 * Test classes sharing one extension instance (a base class's static field) must not run in
 * parallel.
 */
public final class KafkaClusterExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, ParameterResolver {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaClusterExtension.class);

    private final int brokers;
    private final Map<String, String> brokerOverrides;
    private final ClassScoped<KafkaCluster> cluster;
    // Servers running on the cluster (the schema registry) stop before it, whatever the order
    // JUnit runs the extensions' afterAll callbacks in.
    private final List<Runnable> stopBeforeCluster = new CopyOnWriteArrayList<>();

    private KafkaClusterExtension(int brokers, Map<String, String> brokerOverrides) {
        this.brokers = brokers;
        this.brokerOverrides = Map.copyOf(brokerOverrides);
        this.cluster = new ClassScoped<>("Kafka cluster", this::stop);
    }

    /** A cluster of one broker. */
    public static KafkaClusterExtension singleBroker() {
        return brokers(1);
    }

    /** A cluster of {@code count} brokers; three give replication factor 3 and min ISR 2. */
    public static KafkaClusterExtension brokers(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("A cluster needs at least one broker, not " + count);
        }
        return new KafkaClusterExtension(count, Map.of());
    }

    /**
     * A copy of this extension whose brokers also get {@code key=value}, applied over the testkit's
     * defaults. Ignored for an external cluster.
     */
    public KafkaClusterExtension withBrokerConfig(String key, String value) {
        Map<String, String> overrides = new LinkedHashMap<>(brokerOverrides);
        overrides.put(key, value);
        return new KafkaClusterExtension(brokers, overrides);
    }

    /**
     * The running cluster.
     *
     * @throws IllegalStateException before the test class started or after it finished
     */
    public KafkaCluster cluster() {
        return cluster.get();
    }

    /** Starts the cluster for {@code context}'s class unless it runs already. */
    KafkaCluster start(ExtensionContext context) throws Exception {
        return cluster.acquire(context, () -> startCluster(context));
    }

    /** Runs {@code action} each time, just before the cluster stops. */
    void beforeStopping(Runnable action) {
        stopBeforeCluster.add(action);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        cluster.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        cluster.release(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == KafkaCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        try {
            // A constructor of a PER_CLASS test instance runs before beforeAll.
            return start(extensionContext);
        } catch (Exception e) {
            throw new ParameterResolutionException("Could not start the Kafka cluster", e);
        }
    }

    private void stop(KafkaCluster stopping) throws Exception {
        long startedAt = System.nanoTime();
        try {
            stopBeforeCluster.forEach(Runnable::run);
        } finally {
            stopping.close();
        }
        LOG.info("Kafka cluster {} stopped in {} ms", stopping.bootstrapServers(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
    }

    private KafkaCluster startCluster(ExtensionContext context) throws Exception {
        long startedAt = System.nanoTime();
        KafkaBackend backend = KafkaBackends.start(brokers, brokerOverrides);
        KafkaCluster started;
        try {
            started = new KafkaCluster(backend);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
        LOG.info("Kafka cluster for {} ready in {} ms: mode={}, brokers={}, bootstrap.servers={}",
                context.getDisplayName(), Duration.ofNanos(System.nanoTime() - startedAt).toMillis(),
                started.mode(), started.brokerCount(), started.bootstrapServers());
        return started;
    }
}
