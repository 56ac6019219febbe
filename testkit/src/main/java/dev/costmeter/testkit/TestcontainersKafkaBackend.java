package dev.costmeter.testkit;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.utils.AppInfoParser;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A single-broker {@code apache/kafka} container. Testcontainers is an optional dependency: this
 * class is the only one that names its types, and it is loaded only after
 * {@link #isOnClasspath()} has said they are there.
 */
final class TestcontainersKafkaBackend implements KafkaBackend {

    static final String CONTAINER_CLASS = "org.testcontainers.kafka.KafkaContainer";
    private static final int BROKER_ID = 1;

    private final KafkaContainer container;

    private TestcontainersKafkaBackend(KafkaContainer container) {
        this.container = container;
    }

    /** Safe to call without Testcontainers: it names no Testcontainers type. */
    static boolean isOnClasspath() {
        try {
            Class.forName(CONTAINER_CLASS, false, KafkaClusterExtension.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static boolean isDockerAvailable() {
        return DockerClientFactory.instance().isDockerAvailable();
    }

    static TestcontainersKafkaBackend start(Map<String, String> brokerConfig) {
        String image = TestEnvironment.get(TestEnvironment.KAFKA_IMAGE)
                .orElse("apache/kafka:" + AppInfoParser.getVersion());
        KafkaContainer container = new KafkaContainer(DockerImageName.parse(image));
        // The apache/kafka image maps KAFKA_FOO_BAR to foo.bar.
        brokerConfig.forEach((key, value) ->
                container.withEnv("KAFKA_" + key.toUpperCase(Locale.ROOT).replace('.', '_'), value));
        container.start();
        return new TestcontainersKafkaBackend(container);
    }

    @Override
    public KafkaCluster.Mode mode() {
        return KafkaCluster.Mode.TESTCONTAINERS;
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public List<Integer> brokerIds() {
        return List.of(BROKER_ID);
    }

    @Override
    public boolean controlsBrokers() {
        return false;
    }

    @Override
    public void stopBroker(int brokerId) {
        throw new UnsupportedOperationException(
                "Stopping a broker needs the in-JVM cluster; the Testcontainers mode runs a single broker");
    }

    @Override
    public void startBroker(int brokerId) {
        stopBroker(brokerId);
    }

    @Override
    public void close() {
        container.stop();
    }
}
