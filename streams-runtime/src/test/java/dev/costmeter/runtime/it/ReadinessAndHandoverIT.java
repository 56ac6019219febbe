package dev.costmeter.runtime.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import dev.costmeter.runtime.http.HealthStatus;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness means "can do its work now", and a closing instance hands its work over at once: two
 * instances of one app on a real broker, with one input partition so that only one of them can
 * hold the task.
 */
class ReadinessAndHandoverIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path stateDir;

    @Test
    void shouldBeReadyOnlyWithAnActiveTaskAndHandTheTaskOverAtOnceOnClose() {
        KafkaCluster kafka = KAFKA.cluster();
        String topic = kafka.createUniqueTopic("spend", 1);
        String applicationId = kafka.uniqueName("readiness");
        // A long session timeout, so that only leaving the group on close can explain a quick handover.
        Map<String, String> slowFailover = Map.of("session.timeout.ms", "45000");
        StreamsApp first = app(kafka, topic, applicationId, "first", slowFailover).start();
        StreamsApp second = app(kafka, topic, applicationId, "second", slowFailover).start();
        try {
            awaitBoth(first, second, () -> first.health().ready() != second.health().ready(),
                    "exactly one instance ready");
            StreamsApp owner = first.health().ready() ? first : second;
            StreamsApp idle = owner == first ? second : first;
            HealthStatus idleHealth = idle.health();
            assertThat(idleHealth.state()).isEqualTo(KafkaStreams.State.RUNNING);
            assertThat(idleHealth.reason()).isEqualTo("no active tasks are assigned to this instance");

            long closedAt = System.nanoTime();
            owner.close();
            Awaitility.await("the idle instance takes the task over").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .until(() -> idle.health().ready());
            Duration handover = Duration.ofNanos(System.nanoTime() - closedAt);
            // Well inside the 45 s session timeout that a member that did not leave would be waited out for.
            assertThat(handover).isLessThan(Duration.ofSeconds(30));
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void shouldNotBeReadyWhileTheClusterDoesNotAnswer() {
        KafkaCluster kafka = KAFKA.cluster();
        String topic = kafka.createUniqueTopic("spend", 1);
        try (StreamsApp app = app(kafka, topic, kafka.uniqueName("broker-down"), "only", Map.of()).start()) {
            Awaitility.await("ready").atMost(WAIT).until(() -> app.health().ready());
            int broker = kafka.brokerIds().get(0);
            kafka.stopBroker(broker);
            try {
                Awaitility.await("not ready without the broker").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                        .until(() -> !app.health().ready());
                assertThat(app.health().reason()).isIn("the Kafka cluster does not answer", null);
            } finally {
                kafka.restartBroker(broker);
            }
            Awaitility.await("ready again").atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> app.health().ready());
        }
    }

    private static void awaitBoth(StreamsApp first, StreamsApp second, java.util.concurrent.Callable<Boolean> condition,
            String what) {
        Awaitility.await(what).atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() ->
                first.streams().state() == KafkaStreams.State.RUNNING
                        && second.streams().state() == KafkaStreams.State.RUNNING && condition.call());
    }

    private StreamsApp app(KafkaCluster kafka, String topic, String applicationId, String instance,
            Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "http.host", "127.0.0.1",
                "http.port", "0",
                "application.server", "127.0.0.1:0",
                "state.dir", stateDir.resolve(instance).toString(),
                "streams.replication.factor", "1"));
        values.putAll(extra);
        AppConfig config = AppConfig.of("readiness-it", values);
        Properties props = StreamsDefaults.baseProperties(config, applicationId);
        return StreamsApp.create("readiness-it", topology(topic), props, config, app -> Map.of());
    }

    private static Topology topology(String topic) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(topic, Consumed.with(Serdes.String(), Serdes.Long()).withName("spend-source"),
                Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("spend-store"));
        return builder.build();
    }
}
