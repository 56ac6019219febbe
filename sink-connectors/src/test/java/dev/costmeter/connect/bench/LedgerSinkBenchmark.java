package dev.costmeter.connect.bench;

import dev.costmeter.connect.fixtures.ConnectWorker;
import dev.costmeter.connect.fixtures.Poll;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.serde.AvroSerializer;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * How many ledger rows per second the built plugin writes into PostgreSQL through a real Connect
 * worker: an in-JVM KRaft broker, the registry on Kafka, an embedded PostgreSQL (stock settings,
 * fsync on) and the worker, all in this JVM.
 *
 * <p>The topic is filled first; the clock runs from the connector's creation until the table holds
 * every row, so it covers task start, schema migration and decoding as well as the writes.
 *
 * <p>Run from the repository root (builds the plugin, then runs with the test classpath but
 * without the module's classes, so the worker loads the packaged plugin):
 *
 * <pre>
 * ./mvnw -q -o -pl sink-connectors package -DskipTests dependency:build-classpath \
 *     -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test \
 *   &amp;&amp; java -Dcostmeter.plugin.path=sink-connectors/target/plugin \
 *     -cp sink-connectors/target/test-classes:$(cat sink-connectors/target/test.classpath) \
 *     dev.costmeter.connect.bench.LedgerSinkBenchmark [records=200000] [tasks=2] [batch.max.rows=500]
 * </pre>
 */
public final class LedgerSinkBenchmark {

    private LedgerSinkBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("records", "200000", "tasks", "2", "batch.max.rows", "500",
                "partitions", "6"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            options.put(kv[0], kv[1]);
        }
        int records = Integer.parseInt(options.get("records"));
        int partitions = Integer.parseInt(options.get("partitions"));

        try (KafkaClusterTestKit kafka = startKafka();
             EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
             SchemaRegistryServer registry = SchemaRegistryServer.start(RegistryServerConfig.builder()
                     .host("127.0.0.1").port(0).kafkaBootstrapServers(kafka.bootstrapServers()).build())) {
            String topic = "llm.ledger.v1";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
            }
            long produceStart = System.nanoTime();
            long expectedSum = produce(kafka.bootstrapServers(), registry.baseUri().toString(), topic, records);
            System.out.printf("produced %,d PricedUsage records in %.1f s%n", records, seconds(produceStart));

            String jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
            try (ConnectWorker worker = ConnectWorker.start(kafka.bootstrapServers(), "bench-connect")) {
                Map<String, String> config = new HashMap<>();
                config.put("connector.class", "dev.costmeter.connect.ledger.LedgerSinkConnector");
                config.put("tasks.max", options.get("tasks"));
                config.put("topics", topic);
                config.put("connection.url", jdbcUrl);
                config.put("connection.user", "postgres");
                config.put("batch.max.rows", options.get("batch.max.rows"));
                config.put("schema.registry.url", registry.baseUri().toString());
                config.put("consumer.override.max.poll.records", "2000");
                long start = System.nanoTime();
                if (worker.putConnector("ledger", config) != 201) {
                    throw new IllegalStateException("connector not created");
                }
                Poll.until(Duration.ofMinutes(20), () -> query(jdbcUrl, "SELECT count(*) FROM costmeter.ledger") >= records,
                        () -> "rows: " + query(jdbcUrl, "SELECT count(*) FROM costmeter.ledger"));
                double elapsed = seconds(start);
                long sum = query(jdbcUrl, "SELECT sum(cost_nanos) FROM costmeter.ledger");
                System.out.printf("wrote %,d ledger rows in %.1f s: %,.0f rows/s (tasks=%s, batch.max.rows=%s, "
                                + "partitions=%d, %d cores); sum %s the topic's%n",
                        records, elapsed, records / elapsed, options.get("tasks"), options.get("batch.max.rows"),
                        partitions, Runtime.getRuntime().availableProcessors(),
                        sum == expectedSum ? "equals" : "DIFFERS FROM");
            }
        }
        System.exit(0);
    }

    private static KafkaClusterTestKit startKafka() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        builder.setConfigProp("offsets.topic.replication.factor", "1");
        builder.setConfigProp("offsets.topic.num.partitions", "5");
        builder.setConfigProp("group.initial.rebalance.delay.ms", "0");
        builder.setConfigProp("auto.create.topics.enable", "false");
        KafkaClusterTestKit kit = builder.build();
        kit.format();
        kit.startup();
        kit.waitForReadyBrokers();
        return kit;
    }

    private static long produce(String bootstrap, String registryUrl, String topic, int records) throws Exception {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", "20");
        props.put("batch.size", String.valueOf(256 * 1024));
        props.put("compression.type", "lz4");
        long sum = 0;
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
             AvroSerializer<PricedUsage> serializer = new AvroSerializer<>()) {
            serializer.configure(Map.of("schema.registry.url", registryUrl), false);
            for (int i = 0; i < records; i++) {
                String eventId = "evt-" + i;
                long cost = 1_000L + (i * 7919L) % 40_000_000L;
                sum += cost;
                PricedUsage usage = Records.pricedUsage(eventId, "task-" + (i / 8), t0.plusMillis(i * 13L), cost).build();
                producer.send(new ProducerRecord<>(topic, eventId, serializer.serialize(topic, usage)));
            }
            producer.flush();
        }
        return sum;
    }

    private static long query(String jdbcUrl, String sql) {
        try (Connection c = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", "");
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : -1;
        } catch (java.sql.SQLException e) {
            return -1; // not migrated yet
        }
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
