package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.connect.fixtures.ConnectWorker;
import dev.costmeter.connect.fixtures.Poll;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.connect.fixtures.ShippedConfigs;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.PostgresExtension;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ledger sink, as shipped (worker.properties and ledger-sink.json), reads committed records
 * only: metering-stream writes the ledger and rollups in transactions, and a transaction it aborts
 * (then retries) must leave no trace in PostgreSQL. Real broker, registry, Connect worker running
 * the built plugin, and PostgreSQL.
 */
class LedgerSinkTransactionsIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final Instant T0 = Instant.parse("2026-11-27T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SchemaRegistryServer registry;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0)
                .kafkaBootstrapServers(KAFKA.cluster().bootstrapServers()).build());
        worker = ConnectWorker.start(KAFKA.cluster().bootstrapServers(), KAFKA.cluster().uniqueName("connect"));
    }

    @AfterAll
    static void stop() {
        if (worker != null) {
            worker.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void shouldWriteTheRecordsOfCommittedTransactionsOnlyIntoPostgres() throws Exception {
        KafkaCluster cluster = KAFKA.cluster();
        String ledger = cluster.createUniqueTopic("llm.ledger.v1", 2);
        String rollups = cluster.createUniqueTopic("llm.rollups.v1", 1);
        String outcomes = cluster.createUniqueTopic("llm.task-outcomes.v1", 1);
        Map<String, Long> committed = new TreeMap<>(); // event id -> cost of the committed version

        try (Transactions metering = new Transactions(cluster, "metering");
                Transactions zombie = new Transactions(cluster, "zombie")) {
            metering.commit(() -> usage(metering, ledger, 0, "evt-c-", 0, 100, committed));
            metering.abort(() -> {
                usage(metering, ledger, 0, "evt-a-", 0, 50, null);
                // A call priced in a transaction that aborts is priced again and committed below:
                // only the committed version may count, even though it arrives later.
                metering.send(ledger, 0, "evt-retried", pricedUsage(ledger, "evt-retried", 999_999_999L));
            });

            // Two transactions in flight on the same partition, their records interleaved: one
            // commits, the other aborts.
            metering.begin();
            zombie.begin();
            usage(metering, ledger, 0, "evt-c-", 100, 50, committed);
            metering.flush();
            usage(zombie, ledger, 0, "evt-a-", 50, 50, null);
            zombie.flush();
            usage(metering, ledger, 0, "evt-c-", 150, 50, committed);
            metering.flush();
            usage(zombie, ledger, 1, "evt-a-", 100, 50, null);
            zombie.abortInFlight();
            metering.commitInFlight();

            metering.commit(() -> {
                metering.send(ledger, 0, "evt-retried", pricedUsage(ledger, "evt-retried", 4_242L));
                committed.put("evt-retried", 4_242L);
                usage(metering, ledger, 1, "evt-c-", 200, 100, committed);
                metering.send(rollups, 0, "TENANT|acme|MINUTE|" + T0, rollup(rollups, "acme", 1_000L, 10));
            });
            // A newer running total in an aborted transaction would win the newest-wins upsert.
            zombie.abort(() -> zombie.send(rollups, 0, "TENANT|acme|MINUTE|" + T0, rollup(rollups, "acme", 9_999L, 20)));

            // Last on every partition, committed: once these are in PostgreSQL, so is everything before them.
            metering.commit(() -> {
                for (int partition = 0; partition < 2; partition++) {
                    String eventId = "evt-end-" + partition;
                    metering.send(ledger, partition, eventId, pricedUsage(ledger, eventId, 1L));
                    committed.put(eventId, 1L);
                }
                metering.send(rollups, 0, "TENANT|end|MINUTE|" + T0, rollup(rollups, "end", 1L, 10));
            });
        }

        Map<String, String> connector = ShippedConfigs.ledgerSink(Map.of(
                "topics", ledger + "," + rollups + "," + outcomes,
                "topic.ledger", ledger,
                "topic.rollups", rollups,
                "topic.task-outcomes", outcomes,
                "connection.url", POSTGRES.jdbcUrl(),
                "connection.user", POSTGRES.user(),
                "connection.password", POSTGRES.password(),
                "db.schema", "public",
                "schema.registry.url", registry.baseUri().toString(),
                "errors.deadletterqueue.topic.name", cluster.createUniqueTopic("ledger-dlq", 1)));
        assertThat(worker.putConnector("ledger", connector)).isEqualTo(201);

        Poll.until(TIMEOUT, () -> count("SELECT count(*) FROM ledger WHERE event_id LIKE 'evt-end-%'") == 2
                        && count("SELECT count(*) FROM rollups WHERE scope = 'end'") == 1,
                () -> "the last committed records did not reach PostgreSQL; ledger rows: " + count("SELECT count(*) FROM ledger"));
        Map<String, Long> rows = ledgerRows();
        assertThat(rows.keySet().stream().filter(id -> !committed.containsKey(id)))
                .as("ledger rows of aborted transactions").isEmpty();
        assertThat(rows).isEqualTo(committed);
        assertThat(count("SELECT cost_nanos FROM rollups WHERE scope = 'acme'")).isEqualTo(1_000L);
    }

    @Test
    void shouldRefuseALedgerSinkConfiguredToReadUncommittedRecords() throws Exception {
        Map<String, String> connector = new HashMap<>(ShippedConfigs.ledgerSink(Map.of(
                "connection.url", POSTGRES.jdbcUrl(),
                "schema.registry.url", registry.baseUri().toString())));
        connector.put("name", "ledger-uncommitted");
        connector.put("consumer.override.isolation.level", "read_uncommitted");

        HttpResponse<String> validation = worker.send("PUT",
                "/connector-plugins/LedgerSinkConnector/config/validate", JSON.writeValueAsString(connector));
        assertThat(validation.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(validation.body());
        assertThat(answer.path("error_count").asInt()).isEqualTo(1);
        assertThat(errorsOf(answer, "consumer.override.isolation.level")).singleElement().asString()
                .startsWith("Must be read_committed: costmeter's topics are written in transactions");

        assertThat(worker.putConnector("ledger-uncommitted", connector)).isEqualTo(400);
    }

    /** The errors Connect's validation attaches to {@code key}, wherever they come from. */
    private static List<String> errorsOf(JsonNode validation, String key) {
        List<String> errors = new ArrayList<>();
        boolean found = false;
        for (JsonNode config : validation.path("configs")) {
            if (key.equals(config.path("value").path("name").asText())) {
                found = true;
                config.path("value").path("errors").forEach(error -> errors.add(error.asText()));
            }
        }
        if (found) {
            return errors;
        }
        throw new AssertionError("no validation result for " + key + " in " + validation);
    }

    private static void usage(Transactions producer, String topic, int partition, String prefix, int from, int count,
            Map<String, Long> committed) {
        for (int i = from; i < from + count; i++) {
            String eventId = prefix + i;
            long cost = 1_000L + i;
            producer.send(topic, partition, eventId, pricedUsage(topic, eventId, cost));
            if (committed != null) {
                committed.put(eventId, cost);
            }
        }
    }

    private static byte[] pricedUsage(String topic, String eventId, long cost) {
        return serialize(topic, Records.pricedUsage(eventId, "task-" + Math.floorMod(eventId.hashCode(), 50), T0, cost).build());
    }

    private static byte[] rollup(String topic, String scope, long cost, int updatedSecond) {
        CostRollup rollup = Records.rollup(scope, T0, cost, T0.plusSeconds(updatedSecond)).build();
        return serialize(topic, rollup);
    }

    private static byte[] serialize(String topic, SpecificRecord value) {
        try (AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", registry.baseUri().toString()), false);
            return serializer.serialize(topic, value);
        }
    }

    private static Map<String, Long> ledgerRows() throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id, cost_nanos FROM ledger")) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getLong(2));
            }
        }
        return rows;
    }

    private static long count(String sql) {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (SQLException e) {
            return -1; // the tables appear only once the connector has migrated the schema
        }
    }

    /** A transactional producer, as metering-stream's exactly-once producer writes the ledger. */
    private static final class Transactions implements AutoCloseable {

        private final KafkaProducer<String, byte[]> producer;

        Transactions(KafkaCluster cluster, String name) {
            Map<String, Object> props = cluster.producerProps();
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, cluster.uniqueName(name));
            producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
            producer.initTransactions();
        }

        void begin() {
            producer.beginTransaction();
        }

        void send(String topic, int partition, String key, byte[] value) {
            producer.send(new ProducerRecord<>(topic, partition, key, value));
        }

        void flush() {
            producer.flush();
        }

        void commit(Runnable sends) {
            begin();
            sends.run();
            commitInFlight();
        }

        void abort(Runnable sends) {
            begin();
            sends.run();
            abortInFlight();
        }

        void commitInFlight() {
            producer.commitTransaction();
        }

        void abortInFlight() {
            // Flushed first, so the aborted records are in the log as a crashed transaction leaves them.
            producer.flush();
            producer.abortTransaction();
        }

        @Override
        public void close() {
            producer.close();
        }
    }
}
