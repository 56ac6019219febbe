package dev.costmeter.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.runtime.deadletter.CountingLogAndContinueHandler;
import dev.costmeter.runtime.rocksdb.BoundedMemoryRocksDBConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class StreamsDefaultsTest {

    private static Properties propsFor(Map<String, String> values) {
        return StreamsDefaults.baseProperties(AppConfig.of("metering-stream", values), "costmeter-metering");
    }

    @Test
    void shouldProduceTheDocumentedProductionDefaults() {
        Properties props = propsFor(Map.of("bootstrap.servers", "kafka:9092"));

        assertThat(props).containsEntry("application.id", "costmeter-metering")
                .containsEntry("bootstrap.servers", "kafka:9092")
                .containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("ensure.explicit.internal.resource.naming", "true")
                .containsEntry("producer.acks", "all")
                .containsEntry("replication.factor", "-1")
                .containsEntry("num.standby.replicas", "1")
                .containsEntry("probing.rebalance.interval.ms", "60000")
                .containsEntry("session.timeout.ms", "6000")
                .containsEntry("heartbeat.interval.ms", "1500")
                .containsEntry("producer.transaction.timeout.ms", "6000")
                .containsEntry("commit.interval.ms", "100")
                .containsEntry("state.dir", Path.of(".costmeter", "state", "metering-stream").toString())
                .containsEntry("rocksdb.config.setter", BoundedMemoryRocksDBConfig.class.getName())
                .containsEntry("statestore.cache.max.bytes", Long.toString(32L * 1024 * 1024))
                .containsEntry("deserialization.exception.handler", CountingLogAndContinueHandler.class.getName())
                .containsEntry("processing.exception.handler.global.enabled", "true")
                .doesNotContainKeys("application.server", "errors.dead.letter.queue.topic.name");
    }

    @Test
    void shouldBeAcceptedByStreamsConfig() {
        StreamsConfig config = new StreamsConfig(propsFor(Map.of("bootstrap.servers", "kafka:9092")));

        assertThat(config.getString(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo("exactly_once_v2");
        assertThat(config.getBoolean(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG)).isTrue();
    }

    @Test
    void shouldLetConfigOverrideDefaults() {
        Properties props = propsFor(Map.of(
                "num.standby.replicas", "1",
                "state.dir", "/var/lib/costmeter",
                "statestore.cache.max.bytes", "0",
                "application.server", "metering-0:8080",
                "errors.dead.letter.queue.topic.name", "llm.usage.dlq.v1",
                "streams.replication.factor", "3",
                "producer.acks", "1"));

        assertThat(props).containsEntry("num.standby.replicas", "1")
                .containsEntry("state.dir", "/var/lib/costmeter")
                .containsEntry("statestore.cache.max.bytes", "0")
                .containsEntry("application.server", "metering-0:8080")
                .containsEntry("errors.dead.letter.queue.topic.name", "llm.usage.dlq.v1")
                .containsEntry("replication.factor", "3")
                .containsEntry("producer.acks", "1");
    }

    @Test
    void shouldLetStreamsPrefixedKeysWinOverPlainOnes() {
        Properties props = propsFor(Map.of("replication.factor", "2", "streams.replication.factor", "3"));

        assertThat(props).containsEntry("replication.factor", "3");
    }

    @Test
    void shouldKeepStreamsCommitIntervalDefaultUnderAtLeastOnce() {
        Properties props = propsFor(Map.of("processing.guarantee", "at_least_once"));

        assertThat(props).containsEntry("processing.guarantee", "at_least_once")
                .doesNotContainKeys("commit.interval.ms", "producer.transaction.timeout.ms");
    }

    @Test
    void shouldLetAConfiguredTransactionTimeoutWinOverTheDefault() {
        assertThat(propsFor(Map.of("producer.transaction.timeout.ms", "20000")))
                .containsEntry("producer.transaction.timeout.ms", "20000");
        assertThat(propsFor(Map.of("transaction.timeout.ms", "20000")))
                .containsEntry("transaction.timeout.ms", "20000")
                .doesNotContainKey("producer.transaction.timeout.ms");
    }

    @Test
    void shouldPassClientAndRocksDbKeysThrough() {
        Properties props = propsFor(Map.of(
                "security.protocol", "SSL",
                "ssl.truststore.location", "/etc/kafka/truststore.jks",
                "sasl.mechanism", "PLAIN",
                "consumer.max.poll.records", "500",
                "main.consumer.fetch.max.wait.ms", "100",
                "restore.consumer.max.poll.records", "1000",
                "global.consumer.client.rack", "a",
                "admin.retries", "5",
                "rocksdb.total.memory.bytes", "268435456"));

        assertThat(props).containsEntry("security.protocol", "SSL")
                .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.jks")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("consumer.max.poll.records", "500")
                .containsEntry("main.consumer.fetch.max.wait.ms", "100")
                .containsEntry("restore.consumer.max.poll.records", "1000")
                .containsEntry("global.consumer.client.rack", "a")
                .containsEntry("admin.retries", "5")
                .containsEntry("rocksdb.total.memory.bytes", "268435456");
    }

    @Test
    void shouldNeverPassTopicKeysButAcceptInternalTopicConfigsUnderStreamsPrefix() {
        Properties props = propsFor(Map.of(
                "topic.usage", "prod.llm.usage.v1",
                "topic.min.insync.replicas", "2",
                "streams.topic.min.insync.replicas", "3"));

        assertThat(props.stringPropertyNames()).doesNotContain("topic.usage");
        assertThat(props).containsEntry("topic.min.insync.replicas", "3");
    }

    @Test
    void shouldLeaveAppOnlyKeysOut() {
        Properties props = propsFor(Map.of("http.port", "8080", "shutdown.timeout", "30s",
                "schema.registry.url", "http://registry:8081", "pricing.strict", "true"));

        assertThat(props.stringPropertyNames())
                .doesNotContain("http.port", "shutdown.timeout", "schema.registry.url", "pricing.strict");
    }
}
