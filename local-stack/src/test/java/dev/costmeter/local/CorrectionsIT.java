package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.PostgresExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 17's "Done when" for corrections, end to end on a real broker, the real registry, metering
 * in this JVM, a real Kafka Connect worker running the ledger sink, and a real PostgreSQL: calls to a
 * model with no price are ledgered unpriced; the price is then published, in force from before those
 * calls; metering corrects them on its own; PostgreSQL's net cost, the rollups and task totals through
 * the query API all equal the amounts computed by hand below, and the original ledger rows are unchanged.
 */
class CorrectionsIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String PROVIDER = "anthropic";
    private static final String MODEL = "claude-next";
    // $3 / 1M input, $15 / 1M output, $0.30 / 1M cache reads, $3.75 / 1M cache writes.
    private static final long INPUT = 3_000_000_000L;
    private static final long OUTPUT = 15_000_000_000L;
    private static final long CACHE_READ = 300_000_000L;
    private static final long CACHE_WRITE = 3_750_000_000L;

    /*
     * By hand, tokens x rate / 1,000,000 per component (all exact here):
     *   c1 (t1) 1,000 in, 200 out:              3,000,000 + 3,000,000                     =  6,000,000
     *   c2 (t1) 333 in, 77 out, 1,001 read:       999,000 + 1,155,000 + 300,300           =  2,454,300
     *   c3 (t1) 10 in, 1 out, 2,000 written:       30,000 +    15,000 + 7,500,000         =  7,545,000
     *   c4 (t2) 5,000 in, 1,000 out:           15,000,000 + 15,000,000                    = 30,000,000
     * Task t1: 15,999,300. Task t2: 30,000,000. All: 45,999,300 nano-USD.
     */
    private static final long T1_COST = 15_999_300L;
    private static final long T2_COST = 30_000_000L;
    private static final long TOTAL = 45_999_300L;

    @Test
    void shouldCorrectCallsLedgeredUnpricedWhenTheirPriceArrivesEverywhereTheyCount() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        Map<String, String> topics = createTopics(kafka);
        String schema = "corrections_it";
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(
                RegistryServerConfig.builder().host("127.0.0.1").port(0).build())) {
            String registryUrl = registry.baseUri().toString();
            StreamsApp metering = MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME,
                    appConfig(kafka, registryUrl, topics))).start();
            Connect<?> connect = startConnect(kafka);
            try {
                URI connectUrl = connect.rest().serverUrl();
                putLedgerSink(connectUrl, topics, registryUrl, schema);
                awaitUntil(Duration.ofSeconds(120), () -> metering.streams().state() == KafkaStreams.State.RUNNING,
                        "metering running");

                Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(5);
                try (KafkaProducer<String, Object> producer = producer(kafka, registryUrl)) {
                    send(producer, topics.get("topic.usage"), call("c1", "t1", at, 1_000, 200, 0, 0));
                    send(producer, topics.get("topic.usage"), call("c2", "t1", at, 333, 77, 1_001, 0));
                    send(producer, topics.get("topic.usage"), call("c3", "t1", at, 10, 1, 0, 2_000));
                    send(producer, topics.get("topic.usage"), call("c4", "t2", at, 5_000, 1_000, 0, 0));
                    producer.send(new ProducerRecord<>(topics.get("topic.task-outcomes"), "t1", TaskOutcome.newBuilder()
                            .setTaskId("t1").setTenantId("acme").setTaskClass("triage").setRoute("/inbox")
                            .setOutcome(Outcome.SUCCESS).setEventTime(at.plusSeconds(1)).build())).get();

                    awaitUntil(Duration.ofSeconds(120), () -> query(schema, "SELECT count(*) FROM ledger").equals("4"),
                            "the four calls in the PostgreSQL ledger");
                    assertThat(query(schema, "SELECT count(*) || ' ' || sum(cost_nanos) FROM ledger WHERE NOT priced"))
                            .as("ledgered unpriced").isEqualTo("4 0");

                    // The price arrives later, in force from a day before the calls.
                    Instant from = at.minus(Duration.ofDays(1));
                    producer.send(new ProducerRecord<>(topics.get("topic.prices"), PROVIDER + "/" + MODEL,
                            PriceEntry.newBuilder().setProvider(PROVIDER).setModel(MODEL).setEffectiveFrom(from)
                                    .setInputNanosPerMtok(INPUT).setOutputNanosPerMtok(OUTPUT)
                                    .setCacheReadNanosPerMtok(CACHE_READ).setCacheWriteNanosPerMtok(CACHE_WRITE)
                                    .setPriceVersion(PROVIDER + "/" + MODEL + "@" + from).build())).get();
                }

                awaitUntil(Duration.ofSeconds(120), () -> query(schema, "SELECT count(*) FROM ledger_corrections").equals("4"),
                        "four corrections in PostgreSQL");
                // PostgreSQL: the original rows as they were, the net cost by hand.
                assertThat(query(schema, "SELECT count(*) || ' ' || sum(cost_nanos) FROM ledger WHERE NOT priced"))
                        .isEqualTo("4 0");
                assertThat(query(schema, "SELECT sum(net_cost_nanos) FROM ledger_net")).isEqualTo(Long.toString(TOTAL));
                assertThat(query(schema, "SELECT net_cost_nanos FROM ledger_net WHERE event_id = 'c2'")).isEqualTo("2454300");
                assertThat(query(schema, "SELECT sum(cost_nanos) FROM daily_spend")).isEqualTo(Long.toString(TOTAL));
                assertThat(query(schema, "SELECT cost_nanos FROM task_spend WHERE task_id = 't1'")).isEqualTo(Long.toString(T1_COST));
                assertThat(query(schema, "SELECT sum(\"BilledCost\") FROM focus_costs")).isEqualTo("0.045999300");
                assertThat(query(schema, "SELECT count(*) FROM correction_audit WHERE reason = 'price-arrived'")).isEqualTo("4");

                // metering's query API: task totals and rollups.
                int port = metering.httpPort();
                awaitUntil(Duration.ofSeconds(60), () -> get(port, "/v1/tasks/t1").path("cost_nanos").asLong() == T1_COST,
                        "task t1's totals corrected");
                JsonNode t1 = get(port, "/v1/tasks/t1");
                assertThat(t1.path("unpriced_calls").asLong()).isZero();
                assertThat(t1.path("calls").asLong()).isEqualTo(3);
                assertThat(get(port, "/v1/tasks/t2").path("cost_nanos").asLong()).isEqualTo(T2_COST);
                String window = "&from=" + at.minus(Duration.ofDays(1)) + "&to=" + at.plus(Duration.ofDays(1));
                awaitUntil(Duration.ofSeconds(60), () -> get(port, "/v1/spend?dimension=model&scope=" + PROVIDER + "/" + MODEL
                                + window + "&granularity=minute").path("total").path("cost_nanos").asLong() == TOTAL,
                        "the model's rollups corrected");
                for (String granularity : List.of("minute", "hour", "day")) {
                    JsonNode total = get(port, "/v1/spend?dimension=tenant&scope=acme" + window + "&granularity=" + granularity)
                            .path("total");
                    assertThat(total.path("cost_nanos").asLong()).as(granularity).isEqualTo(TOTAL);
                    assertThat(total.path("unpriced_calls").asLong()).as(granularity).isZero();
                    assertThat(total.path("calls").asLong()).as(granularity).isEqualTo(4);
                }
                JsonNode kind = get(port, "/v1/task-classes/triage/models?from=" + at.toString().substring(0, 10)
                        + "&to=" + at.toString().substring(0, 10)).path("models").get(0);
                assertThat(kind.path("successful_cost_nanos").asLong()).isEqualTo(T1_COST);
            } finally {
                connect.stop();
                connect.awaitStop();
                metering.close();
            }
        }
    }

    private static UsageEvent call(String id, String task, Instant at, long in, long out, long read, long written) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(at).setTenantId("acme").setTaskId(task)
                .setTaskClass("triage").setRoute("/inbox").setProvider(PROVIDER).setModel(MODEL)
                .setInputTokens(in).setOutputTokens(out).setCacheReadTokens(read).setCacheWriteTokens(written)
                .setStatus(CallStatus.OK).build();
    }

    private static void send(KafkaProducer<String, Object> producer, String topic, UsageEvent event) throws Exception {
        producer.send(new ProducerRecord<>(topic, event.getTaskId(), event)).get();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static KafkaProducer<String, Object> producer(KafkaCluster kafka, String registryUrl) {
        AvroSerializer serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        return new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), serializer);
    }

    /** A Connect worker from the shipped worker.properties, on this broker, with the built ledger sink plugin. */
    private static Connect<?> startConnect(KafkaCluster kafka) throws IOException {
        Properties shipped = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("../sink-connectors/src/main/config/worker.properties"))) {
            shipped.load(in);
        }
        Map<String, String> worker = new HashMap<>();
        shipped.forEach((k, v) -> worker.put(k.toString(), v.toString()));
        String group = kafka.uniqueName("corrections-connect");
        worker.put("bootstrap.servers", kafka.bootstrapServers());
        worker.put("group.id", group);
        worker.put("config.storage.topic", group + "-configs");
        worker.put("offset.storage.topic", group + "-offsets");
        worker.put("status.storage.topic", group + "-status");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.remove("rest.advertised.host.name");
        worker.remove("rest.advertised.port");
        // The plugin sink-connectors' package built (this reactor builds it first), as ./costmeter up runs it.
        Path plugin = Path.of("../sink-connectors/target/plugin").toAbsolutePath().normalize();
        if (!Files.isDirectory(plugin)) {
            throw new IllegalStateException("No built plugin at " + plugin + ": package sink-connectors first");
        }
        worker.put("plugin.path", plugin.toString());
        return new ConnectDistributed().startConnect(worker);
    }

    private static void putLedgerSink(URI connect, Map<String, String> topics, String registryUrl, String schema)
            throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.costmeter.connect.ledger.LedgerSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", String.join(",", topics.get("topic.ledger"), topics.get("topic.task-outcomes"),
                topics.get("topic.ledger-corrections")));
        config.putAll(Map.of("topic.ledger", topics.get("topic.ledger"),
                "topic.task-outcomes", topics.get("topic.task-outcomes"),
                "topic.ledger-corrections", topics.get("topic.ledger-corrections")));
        config.put("key.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("consumer.override.isolation.level", "read_committed");
        config.put("connection.url", POSTGRES.jdbcUrl());
        config.put("connection.user", POSTGRES.user());
        config.put("connection.password", POSTGRES.password());
        config.put("db.schema", schema);
        config.put("schema.registry.url", registryUrl);
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(connect.resolve("/connectors/costmeter-ledger-sink/config"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isIn(200, 201);
    }

    private static JsonNode get(int port, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private static String query(String schema, String sql) throws SQLException {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            try (ResultSet rs = s.executeQuery(sql)) {
                return rs.next() ? String.valueOf(rs.getString(1)) : "";
            }
        }
    }

    private static void awaitUntil(Duration timeout, Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(condition);
    }

    private static Map<String, String> createTopics(KafkaCluster kafka) {
        Map<String, String> topics = new HashMap<>();
        for (TopicNames.Logical logical : TopicNames.Logical.values()) {
            String name = kafka.uniqueTopicName(logical.defaultName());
            boolean compacted = logical == TopicNames.Logical.CONTROL || logical == TopicNames.Logical.BUDGETS
                    || logical == TopicNames.Logical.PRICES;
            kafka.createTopic(name, compacted ? 1 : 2, compacted ? Map.of("cleanup.policy", "compact") : Map.of());
            topics.put(logical.configKey(), name);
        }
        return topics;
    }

    private static Map<String, String> appConfig(KafkaCluster kafka, String registryUrl, Map<String, String> topics) {
        Map<String, String> config = new HashMap<>(MeteringApp.defaults());
        config.putAll(topics);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", registryUrl);
        config.put("application.id", kafka.uniqueName("metering"));
        config.put("state.dir", kafka.streamsProps("metering").get("state.dir").toString());
        config.put("http.port", "0");
        config.put("replication.factor", Short.toString(kafka.defaultReplicationFactor()));
        return config;
    }
}
