package dev.costmeter.cli.whatif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code costctl whatif} end to end against a real broker and the real registry. Rates per token
 * (nano-USD): sonnet 3,000 in, 15,000 out, batch 1,500 / 7,500; haiku 1,000 / 5,000; opus priced, never
 * called. The ledger (record timestamps at the event times, two partitions):
 * <pre>
 *   acme support-answer on sonnet, 2,000 in / 400 out = 2,000 x 3,000 + 400 x 15,000 = 12,000,000 each:
 *     A1 (task a1, SUCCESS), A2 (a2, SUCCESS), A3 (a3, FAILURE) ledgered at 13,000,000 and corrected by -1,000,000
 *   globex support-answer on haiku, G1..G5 (tasks g1..g5; g1 SUCCESS, the rest FAILURE): haiku succeeds 1 of 5
 *   OLD: an acme sonnet call of 2026-10-20, before the period; Z: an acme sonnet call in an aborted transaction
 * </pre>
 */
class WhatIfIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static SchemaRegistryServer registry;

    private final KafkaCluster kafka;
    private String prices;
    private String ledger;
    private String corrections;
    private String outcomes;
    private Path config;

    @TempDir
    Path dir;

    WhatIfIT(KafkaCluster kafka) {
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
        corrections = kafka.uniqueTopicName("llm.ledger-corrections.v1");
        outcomes = kafka.uniqueTopicName("llm.task-outcomes.v1");
        kafka.createTopic(prices, 1, Map.of("cleanup.policy", "compact"));
        // The fixture's records carry their event times, weeks before today: with the broker's default
        // retention (7 days) its first retention check, 30 s after start, deleted them mid-class on a
        // loaded machine, and the period read as incomplete. Kept forever here; the test of an
        // incomplete topic deletes records itself.
        Map<String, String> keepForever = Map.of("retention.ms", "-1");
        kafka.createTopic(ledger, 2, keepForever);
        kafka.createTopic(corrections, 2, keepForever);
        kafka.createTopic(outcomes, 2, keepForever);
        config = Files.writeString(dir.resolve("costctl.properties"), "topic.ledger=" + ledger
                + "\ntopic.ledger-corrections=" + corrections + "\ntopic.task-outcomes=" + outcomes + "\n");

        send(prices, "anthropic/sonnet", price("sonnet", 3_000_000_000L, 15_000_000_000L)
                .setBatchInputNanosPerMtok(1_500_000_000L).setBatchOutputNanosPerMtok(7_500_000_000L).build());
        send(prices, "anthropic/haiku", price("haiku", 1_000_000_000L, 5_000_000_000L).build());
        send(prices, "anthropic/opus", price("opus", 15_000_000_000L, 75_000_000_000L).build());

        send(ledger, "A1", call("A1", "acme", "a1", "sonnet", "2026-11-02T10:00:00Z", 12_000_000L));
        send(ledger, "A2", call("A2", "acme", "a2", "sonnet", "2026-11-03T10:00:00Z", 12_000_000L));
        send(ledger, "A3", call("A3", "acme", "a3", "sonnet", "2026-11-04T10:00:00Z", 13_000_000L));
        send(corrections, "A3", LedgerCorrection.newBuilder().setCorrectionId("A3@sonnet@v1").setEventId("A3")
                .setEventTime(Instant.parse("2026-11-04T10:00:00Z")).setTenantId("acme").setTaskId("a3")
                .setTaskClass("support-answer").setRoute("/chat").setProvider("anthropic").setModel("sonnet")
                .setOldCostNanos(13_000_000L).setNewCostNanos(12_000_000L).setCostDeltaNanos(-1_000_000L)
                .setInputCostDeltaNanos(-1_000_000L).setOutputCostDeltaNanos(0L).setCacheReadCostDeltaNanos(0L)
                .setCacheWriteCostDeltaNanos(0L).setWasPriced(true).setOldPriceVersion("sonnet@wrong")
                .setNewPriceVersion("sonnet@v1").setReason("operator: wrong price")
                .setIssuedAt(Instant.parse("2026-11-05T00:00:00Z")).build());
        for (int g = 1; g <= 5; g++) {
            send(ledger, "G" + g, call("G" + g, "globex", "g" + g, "haiku", "2026-11-05T10:0" + g + ":00Z", 4_000_000L));
            send(outcomes, "g" + g, outcome("g" + g, "globex", g == 1 ? Outcome.SUCCESS : Outcome.FAILURE));
        }
        send(outcomes, "a1", outcome("a1", "acme", Outcome.SUCCESS));
        send(outcomes, "a2", outcome("a2", "acme", Outcome.SUCCESS));
        send(outcomes, "a3", outcome("a3", "acme", Outcome.FAILURE));
        send(ledger, "OLD", call("OLD", "acme", "old", "sonnet", "2026-10-20T10:00:00Z", 12_000_000L));
        sendAborted(ledger, "Z", call("Z", "acme", "z", "sonnet", "2026-11-06T10:00:00Z", 12_000_000L));
    }

    /*
     * By hand, acme's support-answer moved to haiku:
     *   base: A1 + A2 + A3 net = 12,000,000 + 12,000,000 + (13,000,000 - 1,000,000) = 36,000,000; 2 successes: 18,000,000 each
     *   scenario: 3 x (2,000 x 1,000 + 400 x 5,000) = 3 x 4,000,000 = 12,000,000; haiku's observed 1/5 x 3 tasks
     *     with an outcome = 0.6 successes: 12,000,000 / 0.6 = 20,000,000 each
     *   difference: -24,000,000 (-66.67%) in total; +2,000,000 (+11.11%) per successful task
     */
    @Test
    void shouldSayACheaperModelWithALowerObservedSuccessRateIsDearerPerSuccessfulTask() throws Exception {
        Map<String, Long> before = endOffsets();

        CostctlRun run = costctl("whatif", "--from", "2026-11-01", "--to", "2026-11-08", "--tenant", "acme",
                "--task-class", "support-answer", "--model", "anthropic/haiku");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("What-if from 2026-11-01T00:00:00Z to 2026-11-08T00:00:00Z (tenant acme,"
                + " task_class support-answer)\nAssumptions:\n  - 3 ledgered call(s) of 3 task(s)");
        assertThat(run.out()).contains("  - success rate 20.00% for support-answer: observed for anthropic/haiku on"
                + " support-answer in the period (1 of 5 task(s) with an outcome, any tenant and route), applied to its 3"
                + " task(s) with an outcome\n");
        assertThat(run.out()).contains(
                  "                               BASE   SCENARIO  DIFFERENCE        %\n"
                + "------------------------  ---------  ---------  ----------  -------\n"
                + "calls                             3          3           -        -\n"
                + "cost                      $0.036000  $0.012000  -$0.024000  -66.67%\n"
                + "successful tasks                  2       0.60       -1.40        -\n"
                + "cost per successful task  $0.018000  $0.020000  +$0.002000  +11.11%\n");
        assertThat(run.out()).endsWith("The scenario is cheaper in total ($0.036000 -> $0.012000, -$0.024000, -66.67%)"
                + " but DEARER per successful task ($0.018000 -> $0.020000, +$0.002000, +11.11%): fewer tasks succeed.\n");
        // Read-only: no topic gained a record.
        assertThat(endOffsets()).isEqualTo(before);
    }

    /*
     * By hand, acme's support-answer through batch with output capped at 200 tokens:
     *   3 x (2,000 x 1,500 + 200 x 7,500) = 3 x (3,000,000 + 1,500,000) = 13,500,000; 2 successes: 6,750,000 each
     *   difference: -22,500,000 (-62.50%); per successful task -11,250,000 (-62.50%)
     */
    @Test
    void shouldPrintBatchAndAnOutputCapAsJsonInIntegerNanos() throws Exception {
        CostctlRun run = costctl("--output", "json", "whatif", "--from", "2026-11-01T00:00:00Z", "--to",
                "2026-11-08T00:00:00Z", "--tenant", "acme", "--task-class", "support-answer", "--batch",
                "--max-output-tokens", "200");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.at("/base/cost_nanos").asLong()).isEqualTo(36_000_000L);
        assertThat(json.at("/what_if/cost_nanos").asLong()).isEqualTo(13_500_000L);
        assertThat(json.at("/base/cost_per_successful_task_nanos").asLong()).isEqualTo(18_000_000L);
        assertThat(json.at("/what_if/cost_per_successful_task_nanos").asLong()).isEqualTo(6_750_000L);
        assertThat(json.at("/what_if/successful_tasks").decimalValue()).isEqualByComparingTo("2");
        assertThat(json.at("/difference/cost_nanos").asLong()).isEqualTo(-22_500_000L);
        assertThat(json.at("/difference/cost_percent").decimalValue()).isEqualByComparingTo("-62.50");
        assertThat(json.at("/difference/cost_per_successful_task_nanos").asLong()).isEqualTo(-11_250_000L);
        assertThat(json.at("/cheaper_in_total_but_dearer_per_successful_task").asBoolean()).isFalse();
        assertThat(json.at("/scenario/batch").asBoolean()).isTrue();
        assertThat(json.at("/scenario/max_output_tokens").asLong()).isEqualTo(200);
        assertThat(json.at("/success_rates/0/source").asText()).isEqualTo("unchanged");
        assertThat(json.at("/selected_calls").asLong()).isEqualTo(3);
    }

    @Test
    void shouldRefuseAModelWithNoPriceOnThePricesTopic() {
        CostctlRun run = costctl("whatif", "--from", "2026-11-01", "--to", "2026-11-08", "--task-class", "support-answer",
                "--model", "anthropic/ghost");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: unknown model anthropic/ghost: no price for it on topic " + prices
                + " (costctl prices list shows the models priced)\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldRefuseAPeriodWithNoLedgeredCall() {
        CostctlRun run = costctl("whatif", "--from", "2026-12-01", "--to", "2026-12-02", "--batch");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: no ledgered call from 2026-12-01T00:00:00Z to 2026-12-02T00:00:00Z"
                + " (every call) on topic " + ledger + ": nothing to compare\n");
    }

    @Test
    void shouldAskForASuccessRateWhenNoneIsObservedForTheModel() {
        CostctlRun run = costctl("whatif", "--from", "2026-11-01", "--to", "2026-11-08", "--tenant", "acme",
                "--task-class", "support-answer", "--model", "anthropic/opus");
        CostctlRun given = costctl("--output", "json", "whatif", "--from", "2026-11-01", "--to", "2026-11-08",
                "--tenant", "acme", "--task-class", "support-answer", "--model", "anthropic/opus", "--success-rate", "0.9");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("no success rate observed for anthropic/opus on task_class support-answer in the"
                + " period", "pass --success-rate R");
        // 3 x (2,000 x 15,000 + 400 x 75,000) = 3 x 60,000,000 = 180,000,000; 0.9 x 3 = 2.7 successes: 66,666,667.
        assertThat(given.exitCode()).as(given.err()).isEqualTo(ExitCodes.OK);
        assertThat(given.out()).contains("\"cost_nanos\" : 180000000", "\"cost_per_successful_task_nanos\" : 66666667");
    }

    @Test
    void shouldWarnThatTheFiguresMayBeIncompleteWhenRetentionDeletedTheOldestOutcomes() throws Exception {
        Map<TopicPartition, org.apache.kafka.clients.admin.RecordsToDelete> deletions = new HashMap<>();
        endOffsets().forEach((partition, end) -> {
            if (partition.startsWith(outcomes + "-") && end > 0) {
                int p = Integer.parseInt(partition.substring(outcomes.length() + 1));
                deletions.put(new TopicPartition(outcomes, p), org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(1));
            }
        });
        kafka.admin().deleteRecords(deletions).all().get(30, TimeUnit.SECONDS);

        CostctlRun run = costctl("whatif", "--from", "2026-11-01", "--to", "2026-11-08", "--tenant", "acme",
                "--task-class", "support-answer", "--batch");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("  - INCOMPLETE: topic " + outcomes + " no longer holds its oldest records"
                + " (retention deleted them) and may miss some of the period's: the figures may be incomplete\n");
        assertThat(run.out()).doesNotContain("topic " + ledger + " no longer");
    }

    private CostctlRun costctl(String... args) {
        String[] all = new String[args.length + 8];
        System.arraycopy(new String[] {"--config", config.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
            "--schema-registry-url", registry.baseUri().toString(), "--topic-prices", prices}, 0, all, 0, 8);
        System.arraycopy(args, 0, all, 8, args.length);
        return CostctlRun.of(all);
    }

    private Map<String, Long> endOffsets() throws Exception {
        Map<TopicPartition, OffsetSpec> query = new HashMap<>();
        for (String topic : List.of(prices, ledger, corrections, outcomes)) {
            kafka.admin().describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic).partitions()
                    .forEach(p -> query.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
        }
        Map<String, Long> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : kafka.admin().listOffsets(query).all().get(30, TimeUnit.SECONDS).entrySet()) {
            offsets.put(e.getKey().toString(), e.getValue().offset());
        }
        return offsets;
    }

    private static PriceEntry.Builder price(String model, long input, long output) {
        return PriceEntry.newBuilder().setProvider("anthropic").setModel(model)
                .setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z")).setInputNanosPerMtok(input)
                .setOutputNanosPerMtok(output).setPriceVersion(model + "@v1");
    }

    private static PricedUsage call(String id, String tenant, String task, String model, String at, long cost) {
        Instant time = Instant.parse(at);
        return PricedUsage.newBuilder().setEventId(id).setEventTime(time).setTenantId(tenant).setTaskId(task)
                .setTaskClass("support-answer").setRoute("/chat").setProvider("anthropic").setModel(model)
                .setInputTokens(2_000L).setOutputTokens(400L).setCostNanos(cost).setInputCostNanos(cost - 6_000_000L)
                .setOutputCostNanos(6_000_000L).setCacheReadCostNanos(0L).setCacheWriteCostNanos(0L).setPriced(true)
                .setPriceVersion(model + "@v1").setPricedAt(time).build();
    }

    private static TaskOutcome outcome(String task, String tenant, Outcome outcome) {
        return TaskOutcome.newBuilder().setTaskId(task).setTenantId(tenant).setTaskClass("support-answer")
                .setRoute("/chat").setOutcome(outcome).setEventTime(Instant.parse("2026-11-06T00:00:00Z")).build();
    }

    private AvroSerializer<SpecificRecord> serializer() {
        AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registry.baseUri().toString()), false);
        return serializer;
    }

    /** Sends with the record's own time as its timestamp, as a producer reporting at the call's end would. */
    private void send(String topic, String key, SpecificRecord value) throws Exception {
        Long timestamp = value instanceof PricedUsage call ? Long.valueOf(call.getEventTime().toEpochMilli()) : null;
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                serializer())) {
            producer.send(new ProducerRecord<>(topic, null, timestamp, key, value)).get();
        }
    }

    /**
     * Sends in a transaction that is then aborted: a read_committed reader never sees it. Returns once
     * the abort marker is in the partition: the coordinator writes it after {@code abortTransaction}
     * returns, and a marker landing during a test moved the partition's end offset under the
     * read-only check (seen once in CI, on a loaded machine: 7 where 6 was read before the run).
     */
    private void sendAborted(String topic, String key, SpecificRecord value) throws Exception {
        Map<String, Object> props = kafka.producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueName("whatif-aborted"));
        RecordMetadata sent;
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(props, new StringSerializer(), serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            sent = producer.send(new ProducerRecord<>(topic, key, value)).get();
            producer.flush();
            producer.abortTransaction();
        }
        TopicPartition partition = new TopicPartition(sent.topic(), sent.partition());
        await("the abort marker after offset " + sent.offset() + " of " + partition).atMost(Duration.ofSeconds(60))
                .until(() -> kafka.admin().listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
                        .get(30, TimeUnit.SECONDS).offset() > sent.offset() + 1);
    }
}
