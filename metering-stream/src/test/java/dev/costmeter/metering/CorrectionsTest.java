package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.metering.correct.CorrectionRules;
import dev.costmeter.metering.correct.RepriceUnpriced;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import dev.costmeter.metering.taskclass.AggregateTaskClass;
import dev.costmeter.schemas.serde.AvroDeserializer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corrections in the metering topology: the automatic path, requested corrections, and what they move. */
class CorrectionsTest {

    // $1.25 / 1M input tokens, $10 / 1M output tokens.
    private static final long NEW_IN = 1_250_000_000L;
    private static final long NEW_OUT = 10_000_000_000L;
    // One call of 2,000 input and 500 output tokens: 2,000 x 1.25e9 / 1e6 = 2,500,000 nano-USD of input,
    // 500 x 1e10 / 1e6 = 5,000,000 of output.
    private static final long CALL_INPUT = 2_500_000L;
    private static final long CALL_OUTPUT = 5_000_000L;
    private static final long CALL_COST = 7_500_000L;

    @TempDir
    Path stateDir;

    private MeteringDriver metering;
    private TestInputTopic<String, LedgerCorrection> requests;
    private TestOutputTopic<String, LedgerCorrection> applied;

    @BeforeEach
    void start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        requests = metering.driver.createInputTopic(metering.settings.topics().priceCorrections(), new StringSerializer(),
                MeteringDriver.serializer());
        AvroDeserializer<LedgerCorrection> deserializer = new AvroDeserializer<>(LedgerCorrection.class, MeteringDriver.registry());
        deserializer.configure(Map.of("schema.registry.url", "http://unused"), false);
        applied = metering.driver.createOutputTopic(metering.settings.topics().ledgerCorrections(), new StringDeserializer(),
                deserializer);
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldCorrectCallsLedgeredUnpricedOnceTheirPriceArrivesWithoutAnOperator() {
        metering.send(call("e1", "t1", T0).setModel("gpt-new").build());
        metering.send(call("e2", "t1", T0.plusSeconds(10)).setModel("gpt-new").build());
        metering.finish("t1", Outcome.SUCCESS, T0.plusSeconds(20));
        metering.flushRollups();
        List<PricedUsage> ledgered = metering.ledgerRows();
        assertThat(ledgered).extracting(PricedUsage::getPriced).containsExactly(false, false);
        assertThat(tasks().get("t1").getUnpricedCalls()).isEqualTo(2);

        // Published later, in force from an hour before the calls.
        metering.send(price("gpt-new", T0.minus(Duration.ofHours(1)), NEW_IN, NEW_OUT).build());
        metering.driver.advanceWallClockTime(RepriceUnpriced.SCAN_INTERVAL.plusMillis(1));
        metering.flushRollups();

        List<LedgerCorrection> corrections = applied.readValuesToList();
        assertThat(corrections).extracting(LedgerCorrection::getCorrectionId)
                .containsExactlyInAnyOrder("e1@openai/gpt-new@" + T0.minus(Duration.ofHours(1)),
                        "e2@openai/gpt-new@" + T0.minus(Duration.ofHours(1)));
        assertThat(corrections).allSatisfy(c -> {
            assertThat(c.getOldCostNanos()).isZero();
            assertThat(c.getNewCostNanos()).isEqualTo(CALL_COST);
            assertThat(c.getCostDeltaNanos()).isEqualTo(CALL_COST);
            assertThat(c.getInputCostDeltaNanos()).isEqualTo(CALL_INPUT);
            assertThat(c.getOutputCostDeltaNanos()).isEqualTo(CALL_OUTPUT);
            assertThat(c.getWasPriced()).isFalse();
            assertThat(c.getReason()).isEqualTo("price-arrived");
        });
        // The ledger gets no new or changed call record.
        assertThat(metering.ledgerRows()).isEmpty();

        TaskTotals task = tasks().get("t1");
        assertThat(task.getCostNanos()).isEqualTo(2 * CALL_COST);
        assertThat(task.getUnpricedCalls()).isZero();
        assertThat(task.getCalls()).isEqualTo(2);
        assertThat(task.getModels().get("openai/gpt-new").getCostNanos()).isEqualTo(2 * CALL_COST);

        TaskClassStats kind = taskClass("support-answer", "2026-11-27", "openai/gpt-new");
        assertThat(kind.getCostNanos()).isEqualTo(2 * CALL_COST);
        assertThat(kind.getSuccessfulCostNanos()).isEqualTo(2 * CALL_COST);
        assertThat(kind.getCalls()).isEqualTo(2);
        assertThat(kind.getTasks()).isEqualTo(1);

        CostRollup model = latest(RollupDimension.MODEL, "openai/gpt-new", Granularity.HOUR);
        assertThat(model.getCalls()).isEqualTo(2);
        assertThat(model.getUnpricedCalls()).isZero();
        assertThat(model.getCostNanos()).isEqualTo(2 * CALL_COST);
        assertThat(model.getInputCostNanos()).isEqualTo(2 * CALL_INPUT);
        assertThat(model.getOutputCostNanos()).isEqualTo(2 * CALL_OUTPUT);
        assertThat(latest(RollupDimension.TENANT, "acme", Granularity.DAY).getCostNanos()).isEqualTo(2 * CALL_COST);

        // Nothing is kept to correct twice.
        metering.driver.advanceWallClockTime(RepriceUnpriced.SCAN_INTERVAL.plusMillis(1));
        assertThat(applied.readValuesToList()).isEmpty();
    }

    // Requests are stamped near T0: a task's stream time follows its records, and one stamped days
    // later would have the idle-task purge forget the task before the correction reaches it.
    @Test
    void shouldApplyARequestedCorrectionOnceHoweverOftenItIsIssued() {
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), MeteringDriver.GPT_IN, MeteringDriver.GPT_OUT).build());
        metering.send(call("e1", "t1", T0).build());
        long ledgered = metering.ledgerRows().get(0).getCostNanos();
        // 2,000 x 2.5e9 / 1e6 + 500 x 1e10 / 1e6 = 5,000,000 + 5,000,000.
        assertThat(ledgered).isEqualTo(10_000_000L);

        LedgerCorrection correction = correction("e1", "t1", ledgered, CALL_COST, CALL_INPUT - 5_000_000L,
                CALL_OUTPUT - 5_000_000L).build();
        requests.pipeInput(new TestRecord<>("t1", correction, T0.plusSeconds(60)));
        requests.pipeInput(new TestRecord<>("t1", correction, T0.plusSeconds(60)));
        metering.flushRollups();

        assertThat(applied.readKeyValuesToList()).hasSize(1).allSatisfy(kv -> assertThat(kv.key).isEqualTo("e1"));
        assertThat(tasks().get("t1").getCostNanos()).isEqualTo(CALL_COST);
        assertThat(latest(RollupDimension.ROUTE, "chat", Granularity.MINUTE).getCostNanos()).isEqualTo(CALL_COST);
    }

    @Test
    void shouldDeadLetterACorrectionWhoseAmountsDoNotAddUp() {
        metering.send(call("e1", "t1", T0).setModel("gpt-new").build());
        LedgerCorrection wrong = correction("e1", "t1", 0, CALL_COST, CALL_INPUT, CALL_OUTPUT + 1).build();
        LedgerCorrection wrongKey = correction("e1", "t1", 0, CALL_COST, CALL_INPUT, CALL_OUTPUT).build();
        requests.pipeInput(new TestRecord<>("t1", wrong, T0.plusSeconds(60)));
        requests.pipeInput(new TestRecord<>("t2", wrongKey, T0.plusSeconds(60)));

        assertThat(applied.readValuesToList()).isEmpty();
        assertThat(metering.dlq.readRecordsToList()).extracting(r -> new String(
                        r.headers().lastHeader("costmeter.dlq.reason").value(), StandardCharsets.UTF_8))
                .containsExactly(CorrectionRules.INCONSISTENT_AMOUNTS, "key-mismatch");
        assertThat(tasks().get("t1").getCostNanos()).isZero();
    }

    private static LedgerCorrection.Builder correction(String eventId, String taskId, long oldCost, long newCost,
            long inputDelta, long outputDelta) {
        return LedgerCorrection.newBuilder()
                .setCorrectionId(eventId + "@v2").setEventId(eventId).setEventTime(T0).setTenantId("acme")
                .setTaskId(taskId).setTaskClass("support-answer").setRoute("chat").setProvider("openai")
                .setModel("gpt-4o").setOldCostNanos(oldCost).setNewCostNanos(newCost)
                .setCostDeltaNanos(newCost - oldCost).setInputCostDeltaNanos(inputDelta)
                .setOutputCostDeltaNanos(outputDelta).setCacheReadCostDeltaNanos(0).setCacheWriteCostDeltaNanos(0)
                .setWasPriced(oldCost != 0).setOldPriceVersion(oldCost != 0 ? "v1" : null).setNewPriceVersion("v2")
                .setReason("operator: test").setIssuedAt(T0.plus(Duration.ofDays(1)));
    }

    private KeyValueStore<String, TaskTotals> tasks() {
        return metering.driver.getKeyValueStore(MeteringTopology.TASK_STORE);
    }

    private TaskClassStats taskClass(String taskClass, String day, String model) {
        KeyValueStore<String, TaskClassStats> store = metering.driver.getKeyValueStore(MeteringTopology.TASK_CLASS_STORE);
        return store.get(AggregateTaskClass.key(taskClass, day, model));
    }

    private CostRollup latest(RollupDimension dimension, String scope, Granularity granularity) {
        List<CostRollup> matching = metering.emittedRollups().stream()
                .filter(r -> r.getDimension() == dimension && r.getScope().equals(scope) && r.getGranularity() == granularity)
                .toList();
        assertThat(matching).as("rollups of %s %s %s", dimension, scope, granularity).isNotEmpty();
        return matching.get(matching.size() - 1);
    }
}
