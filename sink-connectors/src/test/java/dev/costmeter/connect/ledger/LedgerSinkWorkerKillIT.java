package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.connect.fixtures.Poll;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.connect.fixtures.ShippedConfigs;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once of the ledger sink when its Connect worker dies the hard way: a real worker in its
 * own process, SIGKILLed twice while it drains the ledger topic as fast as it can (COPY batches in
 * flight, offsets uncommitted for up to {@code offset.flush.interval.ms}), restarted each time with
 * the same group. The topics are written in Kafka transactions, one of them aborted, as
 * metering-stream writes them. PostgreSQL must end exact: every committed event id once, the sums
 * (total and per tenant) equal to what was produced, the newest version of every rollup and the
 * latest outcome of every task, nothing of the aborted transaction.
 */
class LedgerSinkWorkerKillIT {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerSinkWorkerKillIT.class);

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final Duration TIMEOUT = Duration.ofSeconds(240);
    private static final String CONNECTOR = "ledger-killed";
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static final int CALLS = 120_000;
    private static final int TASKS_WITH_OUTCOMES = 2_000;
    private static final int ROLLUP_SCOPES = 200;
    private static final int RESEND_EVERY = 50;
    private static final List<String> TENANTS = List.of("acme", "globex", "initech", "umbrella");
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

    /** What the committed transactions carry, computed while producing them. */
    private static final class Expected {
        long cost;
        final Map<String, Long> costByTenant = new TreeMap<>();
        final Map<String, Long> rollupCostByScope = new TreeMap<>();
        final Map<String, String> outcomeByTask = new TreeMap<>();
    }

    @Test
    void shouldEndExactInPostgresWhenTheWorkerIsKilledTwiceWhileDraining() throws Exception {
        KafkaCluster cluster = KAFKA.cluster();
        String ledger = cluster.createUniqueTopic("llm.ledger.v1", 6);
        String rollups = cluster.createUniqueTopic("llm.rollups.v1", 2);
        String outcomes = cluster.createUniqueTopic("llm.task-outcomes.v1", 2);
        String dlq = cluster.createUniqueTopic("ledger-dlq", 1);
        String group = cluster.uniqueName("connect-killed");
        Expected expected = produce(cluster, ledger, rollups, outcomes);
        Path logs = Files.createDirectories(Path.of("target", "it-worker-logs"));
        Map<String, String> config = ShippedConfigs.ledgerSink(Map.of(
                "topics", String.join(",", ledger, rollups, outcomes),
                "topic.ledger", ledger, "topic.rollups", rollups, "topic.task-outcomes", outcomes,
                "connection.url", POSTGRES.jdbcUrl(), "connection.user", POSTGRES.user(),
                "connection.password", POSTGRES.password(), "db.schema", "killed",
                "schema.registry.url", registry.baseUri().toString(), "errors.deadletterqueue.topic.name", dlq));

        long[] killedAt = new long[2];
        for (int kill = 0; kill < 2; kill++) {
            long threshold = CALLS * (kill == 0 ? 15L : 55L) / 100;
            try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(cluster.bootstrapServers(), group,
                    logs.resolve(group + "-" + kill + ".log"))) {
                if (kill == 0) {
                    assertThat(worker.putConnector(CONNECTOR, config)).isEqualTo(201);
                }
                Poll.until(TIMEOUT, () -> rows() >= threshold, () -> "ledger rows " + safeRows() + ", waiting for " + threshold);
                worker.kill();
                killedAt[kill] = rows();
                LOG.info("Connect worker SIGKILLed with {} of {} ledger rows in PostgreSQL", killedAt[kill], CALLS);
            }
        }
        // Both kills struck while rows were still arriving, or the test proves nothing.
        assertThat(killedAt[1]).isLessThan(CALLS);

        try (ConnectWorkerProcess worker = ConnectWorkerProcess.start(cluster.bootstrapServers(), group,
                logs.resolve(group + "-final.log"))) {
            Poll.until(TIMEOUT, () -> worker.isRunning(CONNECTOR, 2), () -> "connector not running after the restarts");
            Map<TopicPartition, Long> ends = new HashMap<>();
            ends.putAll(afterLastCommittedRecord(cluster, ledger, CALLS + CALLS / RESEND_EVERY));
            ends.putAll(afterLastCommittedRecord(cluster, rollups, ROLLUP_SCOPES * 4));
            ends.putAll(afterLastCommittedRecord(cluster, outcomes, TASKS_WITH_OUTCOMES * 2));
            Poll.until(TIMEOUT, () -> committedTo(cluster, "connect-" + CONNECTOR, ends),
                    () -> "the sink did not commit past the last committed record of its topics; ledger rows " + safeRows());

            assertThat(query("SELECT count(*), count(DISTINCT event_id), sum(cost_nanos) FROM killed.ledger"))
                    .containsExactly(List.of((long) CALLS, (long) CALLS, expected.cost));
            assertThat(map("SELECT tenant_id, sum(cost_nanos) FROM killed.ledger GROUP BY tenant_id"))
                    .isEqualTo(expected.costByTenant);
            assertThat(map("SELECT scope, cost_nanos FROM killed.rollups")).isEqualTo(expected.rollupCostByScope);
            assertThat(text("SELECT task_id, outcome FROM killed.task_outcomes")).isEqualTo(expected.outcomeByTask);
            assertThat(query("SELECT count(*) FROM killed.ledger WHERE event_id LIKE 'aborted-%' OR cost_nanos = 999999999")
                    .get(0)).containsExactly(0L);
        }
    }

    /** Ledger calls (with re-sends), rollup versions and outcomes, in committed transactions, and one aborted. */
    private static Expected produce(KafkaCluster cluster, String ledger, String rollups, String outcomes) throws Exception {
        Expected expected = new Expected();
        Random random = new Random(19);
        Map<String, Object> props = new HashMap<>(cluster.producerProps());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, cluster.uniqueName("killed-it-producer"));
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
                AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", registry.baseUri().toString()), false);
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < CALLS; i++) {
                String tenant = TENANTS.get(i % TENANTS.size());
                long cost = 1_000L + random.nextInt(40_000_000);
                PricedUsage call = Records.pricedUsage("evt-" + i, "task-" + (i % TASKS_WITH_OUTCOMES), T0.plusMillis(i), cost)
                        .setTenantId(tenant).setEndUserId(i % 37 == 0 ? "Zoë\t" + i + "\\" : null).build();
                byte[] value = serializer.serialize(ledger, call);
                producer.send(new ProducerRecord<>(ledger, call.getEventId(), value));
                if (i % RESEND_EVERY == 0) {
                    producer.send(new ProducerRecord<>(ledger, call.getEventId(), value)); // a re-send: charged once
                }
                expected.cost += cost;
                expected.costByTenant.merge(tenant, cost, Long::sum);
                if (i % 5_000 == 4_999) {
                    producer.commitTransaction();
                    producer.beginTransaction();
                }
            }
            for (int scope = 0; scope < ROLLUP_SCOPES; scope++) {
                String name = "scope-" + scope;
                // Versions of a running total; the newest (updated last) is sent second to last.
                long[][] versions = {{10, 1}, {30, 3}, {40, 4}, {20, 2}};
                for (long[] version : versions) {
                    CostRollup rollup = Records.rollup(name, T0, version[0] * (scope + 1), T0.plusSeconds(version[1])).build();
                    producer.send(new ProducerRecord<>(rollups, name, serializer.serialize(rollups, rollup)));
                }
                expected.rollupCostByScope.put(name, 40L * (scope + 1));
            }
            for (int task = 0; task < TASKS_WITH_OUTCOMES; task++) {
                String id = "task-" + task;
                TaskOutcome first = Records.outcome(id, Outcome.FAILURE, T0.plusSeconds(10));
                Outcome last = task % 3 == 0 ? Outcome.SUCCESS : Outcome.ABANDONED;
                producer.send(new ProducerRecord<>(outcomes, id, serializer.serialize(outcomes, first)));
                producer.send(new ProducerRecord<>(outcomes, id, serializer.serialize(outcomes,
                        Records.outcome(id, last, T0.plusSeconds(20)))));
                expected.outcomeByTask.put(id, last.name());
            }
            producer.commitTransaction();

            // An aborted transaction: new ids and another cost for committed ids; none of it may reach PostgreSQL.
            producer.beginTransaction();
            for (int i = 0; i < 2_000; i++) {
                String id = i % 2 == 0 ? "aborted-" + i : "evt-" + i;
                producer.send(new ProducerRecord<>(ledger, id, serializer.serialize(ledger,
                        Records.pricedUsage(id, "task-x", T0, 999_999_999L).build())));
            }
            producer.flush();
            producer.abortTransaction();
        }
        return expected;
    }

    /**
     * Per partition, the offset after its last record of a committed transaction: where the sink's
     * committed offset ends once it has written everything (the commit and abort markers after it are
     * never delivered to a sink, so its offset never reaches the log end).
     */
    private static Map<TopicPartition, Long> afterLastCommittedRecord(KafkaCluster cluster, String topic, int records) {
        Map<TopicPartition, Long> ends = new HashMap<>();
        cluster.readAll(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer(), records).forEach(r ->
                ends.merge(new TopicPartition(r.topic(), r.partition()), r.offset() + 1, Math::max));
        return ends;
    }

    private static boolean committedTo(KafkaCluster cluster, String group, Map<TopicPartition, Long> ends) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed =
                cluster.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata offset = committed.get(end.getKey());
            if (offset == null || offset.offset() < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static long rows() throws SQLException {
        List<List<Long>> result = query("SELECT CASE WHEN to_regclass('killed.ledger') IS NULL THEN 0 "
                + "ELSE (SELECT count(*) FROM killed.ledger) END");
        return result.get(0).get(0);
    }

    private static String safeRows() {
        try {
            return Long.toString(rows());
        } catch (SQLException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static List<List<Long>> query(String sql) throws SQLException {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<Long>> rows = new java.util.ArrayList<>();
            while (rs.next()) {
                List<Long> row = new java.util.ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getLong(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    private static Map<String, Long> map(String sql) throws SQLException {
        Map<String, Long> result = new TreeMap<>();
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getLong(2));
            }
        }
        return result;
    }

    private static Map<String, String> text(String sql) throws SQLException {
        Map<String, String> result = new TreeMap<>();
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                result.put(rs.getString(1), rs.getString(2));
            }
        }
        return result;
    }
}
