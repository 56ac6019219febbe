package dev.costmeter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaModeSelectionIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @AfterEach
    void clearSwitches() {
        System.clearProperty(TestEnvironment.KAFKA_BOOTSTRAP_SERVERS);
        System.clearProperty(TestEnvironment.KAFKA_MODE);
    }

    @Test
    void shouldUseAnExternalClusterAsItIsWhenBootstrapServersAreGiven(KafkaCluster running) throws Exception {
        System.setProperty(TestEnvironment.KAFKA_BOOTSTRAP_SERVERS, running.bootstrapServers());

        KafkaCluster external = new KafkaCluster(KafkaBackends.start(3, Map.of()));
        try {
            assertThat(external.mode()).isEqualTo(KafkaCluster.Mode.EXTERNAL);
            assertThat(external.bootstrapServers()).isEqualTo(running.bootstrapServers());
            assertThat(external.brokerIds()).isEqualTo(running.brokerIds());
            assertThat(external.canStopBrokers()).isFalse();
            assertThatThrownBy(() -> external.stopBroker(0)).isInstanceOf(UnsupportedOperationException.class);
            external.createUniqueTopic("made-through-external", 1);
        } finally {
            external.close();
        }

        // Closing the external handle left the cluster alone.
        assertThat(running.createUniqueTopic("still-served", 1)).isNotBlank();
    }

    @Test
    void shouldStartKafkaInThisJvmWhenTestcontainersIsAskedForWithoutDocker() throws Exception {
        assumeFalse(TestcontainersKafkaBackend.isOnClasspath() && TestcontainersKafkaBackend.isDockerAvailable(),
                "a Docker engine answers here, so the Testcontainers mode would really start");
        System.setProperty(TestEnvironment.KAFKA_MODE, "testcontainers");

        KafkaCluster fallback = new KafkaCluster(KafkaBackends.start(1, Map.of()));
        try {
            assertThat(fallback.mode()).isEqualTo(KafkaCluster.Mode.IN_JVM);
            assertThat(fallback.bootstrapServers()).isNotEqualTo(KAFKA.cluster().bootstrapServers());
            fallback.createUniqueTopic("fallback", 1);
        } finally {
            fallback.close();
        }
    }
}
