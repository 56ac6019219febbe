package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.connect.fixtures.ConnectWorker;
import dev.costmeter.connect.fixtures.Poll;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The built plugin in a real Connect worker, against a real broker, the real registry (stored in
 * Kafka) and a real PostgreSQL.
 */
class LedgerSinkIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final String CONNECTOR = "ledger";
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static SchemaRegistryServer registry;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0)
                .kafkaBootstrapServers(KAFKA.cluster().bootstrapServers()).build());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @Test
    void shouldLoadTheConnectorsFromThePluginDirectoryOnly() {
        // Proves the worker runs the packaged plugin: the classes are not on this test's classpath.
        assertThatThrownBy(() -> Class.forName("dev.costmeter.connect.ledger.LedgerSinkConnector"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void shouldMatchTheTopicsSumExactlyAcrossAWorkerRestartAndAReplay() throws Exception {
        KafkaCluster cluster = KAFKA.cluster();
        String ledger = cluster.createUniqueTopic("llm.ledger.v1", 3);
        String rollups = cluster.createUniqueTopic("llm.rollups.v1", 1);
        String dlq = cluster.createUniqueTopic("ledger-dlq", 1);
        String group = cluster.uniqueName("connect");

        try (KafkaProducer<String, byte[]> producer = producer(cluster)) {
            produceUsage(producer, ledger, 0, 4_000);
            producer.send(new ProducerRecord<>(ledger, "poison", new byte[] {0, 0, 0, 0, 1, 42})).get();
            produceRollups(producer, rollups);

            ConnectWorker first = ConnectWorker.start(cluster.bootstrapServers(), group);
            try {
                assertThat(first.putConnector(CONNECTOR, connectorConfig(ledger, rollups, dlq))).isEqualTo(201);
                Poll.until(TIMEOUT, () -> first.isRunning(CONNECTOR, 2), () -> "ledger connector not running");
                Poll.until(TIMEOUT, () -> count("SELECT count(*) FROM ledger") >= 500, () -> "no rows written");
            } finally {
                first.close(); // the worker goes away mid-stream
            }
            produceUsage(producer, ledger, 4_000, 4_000);
            produceUsage(producer, ledger, 7_500, 1_000); // 500 event ids published twice, as a replay upstream would

            try (ConnectWorker second = ConnectWorker.start(cluster.bootstrapServers(), group)) {
                long expected = topicSum(ledger);
                Poll.until(TIMEOUT, () -> count("SELECT count(*) FROM ledger") == 8_500,
                        () -> "ledger rows: " + count("SELECT count(*) FROM ledger") + " of 8500");
                assertThat(count("SELECT sum(cost_nanos) FROM ledger")).isEqualTo(expected);
                assertThat(cluster.readAll(dlq, new ByteArrayDeserializer(), new ByteArrayDeserializer(), 1))
                        .extracting(r -> new String(r.key())).containsExactly("poison");
                Poll.until(TIMEOUT, () -> count("SELECT cost_nanos FROM rollups WHERE scope = 'acme'") == 3_000,
                        () -> "newest rollup not written");
                Timestamp rollupWrittenBefore = timestamp("SELECT max(written_at) FROM rollups");

                // Replay from the beginning: stop the connector, reset its offsets, resume.
                assertThat(second.send("PUT", "/connectors/" + CONNECTOR + "/stop", null).statusCode()).isEqualTo(204);
                Poll.until(TIMEOUT, () -> "STOPPED".equals(second.get("/connectors/" + CONNECTOR + "/status")
                        .path("connector").path("state").asText()), () -> "connector did not stop");
                assertThat(second.send("DELETE", "/connectors/" + CONNECTOR + "/offsets", null).statusCode()).isEqualTo(200);
                assertThat(second.send("PUT", "/connectors/" + CONNECTOR + "/resume", null).statusCode()).isEqualTo(202);
                Poll.until(TIMEOUT, () -> timestamp("SELECT max(written_at) FROM rollups").after(rollupWrittenBefore)
                                && committedToEnd(cluster, "connect-" + CONNECTOR, Set.of(ledger, rollups)),
                        () -> "replay did not reach the end of the topics");

                assertThat(count("SELECT count(*) FROM ledger")).isEqualTo(8_500);
                assertThat(count("SELECT sum(cost_nanos) FROM ledger")).isEqualTo(expected);
                assertThat(count("SELECT cost_nanos FROM rollups WHERE scope = 'acme'")).isEqualTo(3_000);
            }
        }
    }

    private static Map<String, String> connectorConfig(String ledger, String rollups, String dlq) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.costmeter.connect.ledger.LedgerSinkConnector");
        config.put("tasks.max", "2");
        config.put("topics", ledger + "," + rollups);
        config.put("topic.ledger", ledger);
        config.put("topic.rollups", rollups);
        config.put("connection.url", POSTGRES.jdbcUrl());
        config.put("connection.user", POSTGRES.user());
        config.put("connection.password", POSTGRES.password());
        config.put("db.schema", "public");
        config.put("schema.registry.url", registry.baseUri().toString());
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", dlq);
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private static KafkaProducer<String, byte[]> producer(KafkaCluster cluster) {
        return new KafkaProducer<>(cluster.producerProps(), new StringSerializer(), new ByteArraySerializer());
    }

    private static void produceUsage(KafkaProducer<String, byte[]> producer, String topic, int from, int count) throws Exception {
        try (AvroSerializer<PricedUsage> serializer = serializer()) {
            for (int i = from; i < from + count; i++) {
                String eventId = "evt-" + i;
                // Deterministic per event id, so a re-published event carries the same cost.
                long cost = 1_000L + (eventId.hashCode() & 0x7fffffffL) % 50_000_000L;
                PricedUsage usage = Records.pricedUsage(eventId, "task-" + (i % 300), T0.plusSeconds(i), cost).build();
                producer.send(new ProducerRecord<>(topic, eventId, serializer.serialize(topic, usage)));
            }
            producer.flush();
        }
    }

    private static void produceRollups(KafkaProducer<String, byte[]> producer, String topic) throws Exception {
        try (AvroSerializer<dev.costmeter.contracts.CostRollup> serializer = serializer()) {
            long[][] versions = {{1_000, 10}, {3_000, 30}, {2_000, 20}}; // cost, updated second: the newest arrives second
            for (long[] version : versions) {
                producer.send(new ProducerRecord<>(topic, "TENANT|acme|MINUTE|" + T0, serializer.serialize(topic,
                        Records.rollup("acme", T0, version[0], T0.plusSeconds(version[1])).build())));
            }
            producer.flush();
        }
    }

    private static <T extends org.apache.avro.generic.GenericContainer> AvroSerializer<T> serializer() {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", registry.baseUri().toString()), false);
        return serializer;
    }

    /** The sum of cost_nanos over the distinct event ids on the topic; undecodable records skipped. */
    private static long topicSum(String topic) {
        Map<String, Long> costs = new HashMap<>();
        try (AvroDeserializer<PricedUsage> deserializer = new AvroDeserializer<>(PricedUsage.class)) {
            deserializer.configure(Map.of("schema.registry.url", registry.baseUri().toString()), false);
            for (ConsumerRecord<String, byte[]> record : KAFKA.cluster().readAll(topic, new StringDeserializer(),
                    new ByteArrayDeserializer(), 9_001)) {
                if (record.key().equals("poison")) {
                    continue;
                }
                PricedUsage usage = deserializer.deserialize(topic, record.value());
                costs.put(usage.getEventId(), usage.getCostNanos());
            }
        }
        assertThat(costs).hasSize(8_500);
        return costs.values().stream().mapToLong(Long::longValue).sum();
    }

    private static boolean committedToEnd(KafkaCluster cluster, String group, Set<String> topics) throws Exception {
        var committed = cluster.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        var partitions = committed.keySet().stream().filter(tp -> topics.contains(tp.topic())).toList();
        if (partitions.size() < 4) {
            return false;
        }
        Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
        partitions.forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
        var ends = cluster.admin().listOffsets(latest).all().get();
        return partitions.stream().allMatch(tp -> committed.get(tp) != null
                && committed.get(tp).offset() == ends.get(tp).offset());
    }

    private static long count(String sql) {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (java.sql.SQLException e) {
            return -1; // the tables appear only once the connector has migrated the schema
        }
    }

    private static Timestamp timestamp(String sql) throws Exception {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

}
