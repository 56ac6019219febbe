package dev.costmeter.cli.prices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code costctl prices correct} against a real broker and the real registry. The ledger holds
 * claude-x calls priced with a wrong version v1 ($3 / $15 per million tokens), one unpriced, and one
 * already corrected to v2; the prices topic now says v2 ($2.50 / $12) is in force since 2026-11-01.
 */
class PricesCorrectIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static SchemaRegistryServer registry;

    private final KafkaCluster kafka;
    private String prices;
    private String ledger;
    private String applied;
    private String requests;
    private Path config;

    @TempDir
    Path dir;

    PricesCorrectIT(KafkaCluster kafka) {
        this.kafka = kafka;
    }

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void fillTopics() throws Exception {
        prices = kafka.uniqueTopicName("llm.prices.v1");
        ledger = kafka.uniqueTopicName("llm.ledger.v1");
        applied = kafka.uniqueTopicName("llm.ledger-corrections.v1");
        requests = kafka.uniqueTopicName("llm.price-corrections.v1");
        kafka.createTopic(prices, 1, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(ledger, 2);
        kafka.createTopic(applied, 2);
        kafka.createTopic(requests, 2);
        config = Files.writeString(dir.resolve("costctl.properties"), "topic.ledger=" + ledger
                + "\ntopic.ledger-corrections=" + applied + "\ntopic.price-corrections=" + requests + "\n");

        send(prices, "anthropic/claude-x", PriceEntry.newBuilder().setProvider("anthropic").setModel("claude-x")
                .setEffectiveFrom(Instant.parse("2026-11-01T00:00:00Z")).setInputNanosPerMtok(2_500_000_000L)
                .setOutputNanosPerMtok(12_000_000_000L).setPriceVersion("v2").build());
        // L1: 1,000 in, 200 out at v1: 3,000,000 + 3,000,000.
        send(ledger, "L1", call("L1", "t1", "2026-11-27T10:00:00Z", 1_000, 200, 3_000_000L, 3_000_000L, "v1").build());
        // L2: 500 in, 100 out, unpriced.
        send(ledger, "L2", call("L2", "t2", "2026-11-27T10:30:00Z", 500, 100, 0, 0, null).setPriced(false).build());
        // L3: as L1, and already corrected to v2 (4,900,000).
        send(ledger, "L3", call("L3", "t1", "2026-11-27T11:00:00Z", 1_000, 200, 3_000_000L, 3_000_000L, "v1").build());
        send(applied, "L3", LedgerCorrection.newBuilder().setCorrectionId("L3@v2").setEventId("L3")
                .setEventTime(Instant.parse("2026-11-27T11:00:00Z")).setTenantId("acme").setTaskId("t1")
                .setTaskClass("triage").setRoute("/inbox").setProvider("anthropic").setModel("claude-x")
                .setOldCostNanos(6_000_000L).setNewCostNanos(4_900_000L).setCostDeltaNanos(-1_100_000L)
                .setInputCostDeltaNanos(-500_000L).setOutputCostDeltaNanos(-600_000L).setCacheReadCostDeltaNanos(0L)
                .setCacheWriteCostDeltaNanos(0L).setWasPriced(true).setOldPriceVersion("v1").setNewPriceVersion("v2")
                .setReason("operator: earlier run").setIssuedAt(Instant.parse("2026-11-27T11:30:00Z")).build());
        // Outside the command's model or period.
        send(ledger, "O1", call("O1", "t1", "2026-11-27T10:00:00Z", 1_000, 200, 3_000_000L, 3_000_000L, "v1")
                .setModel("claude-other").build());
        send(ledger, "O2", call("O2", "t1", "2026-11-26T10:00:00Z", 1_000, 200, 3_000_000L, 3_000_000L, "v1").build());
    }

    /*
     * By hand, at v2 ($2.50 and $12 per million tokens):
     *   L1: 1,000 x 2,500 + 200 x 12,000 = 2,500,000 + 2,400,000 = 4,900,000 (was 6,000,000: -1,100,000)
     *   L2:   500 x 2,500 + 100 x 12,000 = 1,250,000 + 1,200,000 = 2,450,000 (was 0: +2,450,000)
     *   L3: 4,900,000, already so: no correction
     * Old total 10,900,000, new total 12,250,000, difference +1,350,000.
     */
    @Test
    void shouldPrintWhatItWouldCorrectAndPublishNothingOnADryRun() {
        CostctlRun run = costctl("prices", "correct", "--provider", "anthropic", "--model", "claude-x",
                "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-28T00:00:00Z", "--dry-run");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).isEqualTo("anthropic/claude-x from 2026-11-27T00:00:00Z to 2026-11-28T00:00:00Z: 3 call(s),"
                + " 2 to correct\n  old total   $0.010900\n  new total   $0.012250\n  difference  $0.001350\n"
                + "Dry run: nothing published.\n");
        assertThat(kafka.readAll(requests, new StringDeserializer(), deserializer(), 0, Duration.ofSeconds(3))).isEmpty();
    }

    @Test
    void shouldPublishOneCorrectionPerChangedCallKeyedByTaskAndTheSameIdsWhenRunAgain() throws Exception {
        String[] args = {"--output", "json", "prices", "correct", "--provider", "anthropic", "--model", "claude-x",
            "--from", "2026-11-27T00:00:00Z", "--to", "2026-11-28T00:00:00Z", "--reason", "v1 was wrong"};
        CostctlRun run = costctl(args);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode summary = Json.mapper().readTree(run.out());
        assertThat(summary.get("calls").asLong()).isEqualTo(3);
        assertThat(summary.get("old_total_nanos").asLong()).isEqualTo(10_900_000L);
        assertThat(summary.get("new_total_nanos").asLong()).isEqualTo(12_250_000L);
        assertThat(summary.get("difference_nanos").asLong()).isEqualTo(1_350_000L);

        List<ConsumerRecord<String, LedgerCorrection>> published = kafka.readAll(requests, new StringDeserializer(),
                deserializer(), 2);
        assertThat(published).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("t1", "t2");
        LedgerCorrection l1 = published.stream().map(ConsumerRecord::value).filter(c -> c.getEventId().equals("L1"))
                .findFirst().orElseThrow();
        assertThat(l1.getCorrectionId()).isEqualTo("L1@v2");
        assertThat(l1.getCostDeltaNanos()).isEqualTo(-1_100_000L);
        assertThat(l1.getInputCostDeltaNanos()).isEqualTo(-500_000L);
        assertThat(l1.getOutputCostDeltaNanos()).isEqualTo(-600_000L);
        assertThat(l1.getOldPriceVersion()).isEqualTo("v1");
        assertThat(l1.getReason()).isEqualTo("operator: v1 was wrong");
        LedgerCorrection l2 = published.stream().map(ConsumerRecord::value).filter(c -> c.getEventId().equals("L2"))
                .findFirst().orElseThrow();
        assertThat(l2.getCorrectionId()).isEqualTo("L2@v2");
        assertThat(l2.getWasPriced()).isFalse();
        assertThat(l2.getNewCostNanos()).isEqualTo(2_450_000L);

        // Until metering applies them, a second run issues the same corrections: the same ids, applied once.
        assertThat(costctl(args).exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(kafka.readAll(requests, new StringDeserializer(), deserializer(), 4))
                .extracting(r -> r.value().getCorrectionId()).containsExactlyInAnyOrder("L1@v2", "L2@v2", "L1@v2", "L2@v2");
    }

    @Test
    void shouldRefuseAPeriodThatEndsBeforeItStarts() {
        CostctlRun run = costctl("prices", "correct", "--provider", "anthropic", "--model", "claude-x",
                "--from", "2026-11-28T00:00:00Z", "--to", "2026-11-27T00:00:00Z");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("--from 2026-11-28T00:00:00Z must be before --to 2026-11-27T00:00:00Z");
    }

    private CostctlRun costctl(String... args) {
        String[] all = new String[args.length + 8];
        System.arraycopy(new String[] {"--config", config.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
            "--schema-registry-url", registry.baseUri().toString(), "--topic-prices", prices}, 0, all, 0, 8);
        System.arraycopy(args, 0, all, 8, args.length);
        return CostctlRun.of(all);
    }

    private static PricedUsage.Builder call(String id, String task, String at, long in, long out, long inCost,
            long outCost, String version) {
        Instant time = Instant.parse(at);
        return PricedUsage.newBuilder().setEventId(id).setEventTime(time).setTenantId("acme").setTaskId(task)
                .setTaskClass("triage").setRoute("/inbox").setProvider("anthropic").setModel("claude-x")
                .setInputTokens(in).setOutputTokens(out).setStatus(CallStatus.OK)
                .setCostNanos(inCost + outCost).setInputCostNanos(inCost).setOutputCostNanos(outCost)
                .setCacheReadCostNanos(0L).setCacheWriteCostNanos(0L).setPriced(version != null)
                .setPriceVersion(version).setPricedAt(time);
    }

    private void send(String topic, String key, SpecificRecord value) throws Exception {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registry.baseUri().toString()), false);
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                serializer)) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    private static AvroDeserializer<LedgerCorrection> deserializer() {
        AvroDeserializer<LedgerCorrection> deserializer = new AvroDeserializer<>(LedgerCorrection.class);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registry.baseUri().toString()), false);
        return deserializer;
    }
}
