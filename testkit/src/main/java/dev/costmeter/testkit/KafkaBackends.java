package dev.costmeter.testkit;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Chooses where a test cluster runs: external, then Testcontainers if asked and possible, then in-JVM. */
final class KafkaBackends {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaBackends.class);

    private KafkaBackends() {
    }

    static KafkaBackend start(int brokers, Map<String, String> brokerOverrides) throws Exception {
        Optional<String> external = TestEnvironment.get(TestEnvironment.KAFKA_BOOTSTRAP_SERVERS);
        if (external.isPresent()) {
            return ExternalKafkaBackend.connect(external.get(), KafkaCluster.DEFAULT_TIMEOUT);
        }
        Map<String, String> brokerConfig = BrokerConfigs.forBrokerCount(brokers, brokerOverrides);
        if (TestEnvironment.get(TestEnvironment.KAFKA_MODE).filter("testcontainers"::equalsIgnoreCase).isPresent()) {
            Optional<String> unusable = whyTestcontainersCannotRun(brokers);
            if (unusable.isEmpty()) {
                Map<String, String> containerConfig = new HashMap<>(BrokerConfigs.controllerOnly(brokers));
                containerConfig.putAll(brokerConfig);
                return TestcontainersKafkaBackend.start(containerConfig);
            }
            LOG.warn("{}=testcontainers ignored: {}; starting Kafka in this JVM instead",
                    TestEnvironment.KAFKA_MODE, unusable.get());
        }
        return InJvmKafkaBackend.start(brokers, brokerConfig);
    }

    private static Optional<String> whyTestcontainersCannotRun(int brokers) {
        if (brokers != 1) {
            return Optional.of("the Testcontainers mode runs a single broker and " + brokers + " were asked for");
        }
        if (!TestcontainersKafkaBackend.isOnClasspath()) {
            return Optional.of("org.testcontainers:kafka is not on the test classpath");
        }
        try {
            return TestcontainersKafkaBackend.isDockerAvailable()
                    ? Optional.empty()
                    : Optional.of("no Docker engine answers");
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("Docker could not be checked (" + e + ")");
        }
    }
}
