package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.GPT_IN;
import static dev.costmeter.metering.MeteringDriver.GPT_OUT;
import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.runtime.deadletter.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeteringTopologyTest {

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), GPT_IN, GPT_OUT).build());
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldChargeADuplicateEventOnce() {
        metering.send(call("e1", "t1", T0).build());
        metering.send(call("e1", "t1", T0).build());
        metering.send(call("e2", "t1", T0.plusSeconds(1)).build());

        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("e1", "e2");
        assertThat(metering.counter("costmeter.metering.deduplicated")).isEqualTo(1.0);
    }

    @Test
    void shouldKeyLedgerRowsByEventId() {
        metering.send(call("e1", "t1", T0).build());
        assertThat(metering.ledger.readKeyValue().key).isEqualTo("e1");
    }

    @Test
    void shouldCarryEveryFieldOfTheCallIntoItsLedgerRow() {
        UsageEvent event = call("e1", "t1", T0).setPromptVersion("chat@v7").setEndUserId("user-9").setCacheReadTokens(300)
                .setCacheWriteTokens(40).setReasoningTokens(70).setAttempt(2).setStep(3).setToolName("search")
                .setToolArgsHash("args").setPromptHash("prompt").setStatus(dev.costmeter.contracts.CallStatus.ERROR)
                .setLatencyMs(812).setProviderCostNanos(123L).setLabels(Map.of("team", "support")).build();
        metering.send(event);

        PricedUsage row = metering.ledgerRows().get(0);
        List<String> shared = UsageEvent.getClassSchema().getFields().stream().map(org.apache.avro.Schema.Field::name)
                .filter(name -> PricedUsage.getClassSchema().getField(name) != null).toList();
        assertThat(shared).hasSizeGreaterThan(20);
        for (String field : shared) {
            assertThat(row.get(field)).as(field).isEqualTo(event.get(field));
        }
        assertThat(row.getPricedAt()).isNotNull();
        assertThat(row.getPriceVersion()).isEqualTo("openai/gpt-4o@" + T0.minus(Duration.ofDays(30)));
    }

    @Test
    void shouldPriceEachTokenKindAtItsOwnRate() {
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(1)), GPT_IN, GPT_OUT)
                .setCacheReadNanosPerMtok(1_250_000_000L).setCacheWriteNanosPerMtok(3_125_000_000L).build());
        metering.send(call("e1", "t1", T0).setInputTokens(1_000).setOutputTokens(100).setCacheReadTokens(2_000)
                .setCacheWriteTokens(400).build());

        PricedUsage row = metering.ledgerRows().get(0);
        assertThat(row.getInputCostNanos()).isEqualTo(2_500_000L);
        assertThat(row.getOutputCostNanos()).isEqualTo(1_000_000L);
        assertThat(row.getCacheReadCostNanos()).isEqualTo(2_500_000L);
        assertThat(row.getCacheWriteCostNanos()).isEqualTo(1_250_000L);
        assertThat(row.getCostNanos()).isEqualTo(7_250_000L);
        assertThat(row.getSavingsNanos()).isZero();
        assertThat(row.getPriced()).isTrue();
        assertThat(row.getPriceVersion()).isEqualTo("openai/gpt-4o@" + T0.minus(Duration.ofDays(1)));
    }

    @Test
    void shouldPriceBatchCallsAtBatchRates() {
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(1)), GPT_IN, GPT_OUT)
                .setBatchInputNanosPerMtok(1_250_000_000L).setBatchOutputNanosPerMtok(5_000_000_000L).build());
        metering.send(call("e1", "t1", T0).setBatch(true).build());
        metering.send(call("e2", "t1", T0).build());

        assertThat(metering.ledgerRows()).extracting(PricedUsage::getCostNanos).containsExactly(5_000_000L, 10_000_000L);
    }

    @Test
    void shouldRecordAResponseCacheHitAsSavingsNotCost() {
        metering.send(call("e1", "t1", T0).setResponseCacheHit(true).build());

        PricedUsage row = metering.ledgerRows().get(0);
        assertThat(row.getCostNanos()).isZero();
        assertThat(row.getInputCostNanos() + row.getOutputCostNanos()).isZero();
        assertThat(row.getSavingsNanos()).isEqualTo(10_000_000L);
        assertThat(row.getPriced()).isTrue();
    }

    @Test
    void shouldPriceEarlyAndLateEventsWithThePriceInForceAtTheirEventTime() {
        metering.driver.advanceWallClockTime(Duration.ofMinutes(15));
        Instant change = T0.plus(Duration.ofMinutes(10));
        PriceEntry cheaper = price("gpt-4o", change, 1_000_000_000L, 4_000_000_000L)
                .setSuperseded(List.of(dev.costmeter.contracts.PriceVersion.newBuilder()
                        .setEffectiveFrom(T0.minus(Duration.ofDays(30))).setInputNanosPerMtok(GPT_IN)
                        .setOutputNanosPerMtok(GPT_OUT).setPriceVersion("old").build()))
                .build();
        metering.send(call("before", "t1", T0.plus(Duration.ofMinutes(5))).build());
        metering.send(cheaper);
        metering.send(call("after", "t1", change.plusSeconds(1)).build());
        // Late: happened before the change, arrives after it.
        metering.send(call("late", "t1", change.minusSeconds(1)).build());

        Map<String, Long> costs = metering.ledgerRows().stream()
                .collect(Collectors.toMap(PricedUsage::getEventId, PricedUsage::getCostNanos));
        assertThat(costs).containsEntry("before", 10_000_000L).containsEntry("after", 4_000_000L).containsEntry("late", 10_000_000L);
    }

    @Test
    void shouldLedgerACallToAnUnknownModelUnpricedAndCountIt() {
        metering.send(call("e1", "t1", T0).setModel("mystery-1").build());

        PricedUsage row = metering.ledgerRows().get(0);
        assertThat(row.getPriced()).isFalse();
        assertThat(row.getCostNanos()).isZero();
        assertThat(row.getPriceVersion()).isNull();
        assertThat(metering.counter("costmeter.metering.unpriced", "model", "openai/mystery-1")).isEqualTo(1.0);
        metering.flushRollups();
        assertThat(rollup(RollupDimension.MODEL, "openai/mystery-1", Granularity.HOUR).getUnpricedCalls()).isEqualTo(1);
    }

    @Test
    void shouldNotPriceACallBeforeTheFirstPriceOfItsModel() {
        metering.send(call("e1", "t1", T0.minus(Duration.ofDays(31))).build());
        assertThat(metering.ledgerRows().get(0).getPriced()).isFalse();
    }

    @Test
    void shouldAggregateByEveryDimensionInMinuteHourAndDayWindows() {
        metering.send(call("e1", "t1", T0.plusSeconds(5)).setPromptVersion("answer@v3").setAttempt(2).build());
        metering.send(call("e2", "t2", T0.plusSeconds(65)).setStatus(dev.costmeter.contracts.CallStatus.ERROR).build());
        metering.flushRollups();

        CostRollup tenantHour = rollup(RollupDimension.TENANT, "acme", Granularity.HOUR);
        assertThat(tenantHour.getCalls()).isEqualTo(2);
        assertThat(tenantHour.getRetries()).isEqualTo(1);
        assertThat(tenantHour.getFailures()).isEqualTo(1);
        assertThat(tenantHour.getCostNanos()).isEqualTo(20_000_000L);
        assertThat(tenantHour.getWindowStart()).isEqualTo(T0);
        assertThat(rollup(RollupDimension.ROUTE, "chat", Granularity.DAY).getCalls()).isEqualTo(2);
        assertThat(rollup(RollupDimension.TASK_CLASS, "support-answer", Granularity.DAY).getCalls()).isEqualTo(2);
        assertThat(rollup(RollupDimension.MODEL, "openai/gpt-4o", Granularity.DAY).getCalls()).isEqualTo(2);
        assertThat(rollup(RollupDimension.PROMPT_VERSION, "answer@v3", Granularity.DAY).getCalls()).isEqualTo(1);
        assertThat(latest(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0).getCalls()).isEqualTo(1);
        assertThat(latest(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0.plusSeconds(60)).getCalls()).isEqualTo(1);
    }

    @Test
    void shouldReportCacheReadsAndWritesApartAndNeverCountWritesAsSavings() {
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(1)), GPT_IN, GPT_OUT)
                .setCacheReadNanosPerMtok(1_250_000_000L).setCacheWriteNanosPerMtok(3_125_000_000L).build());
        metering.send(call("e1", "t1", T0).setInputTokens(1_000).setCacheWriteTokens(4_000).build());
        metering.send(call("e2", "t1", T0.plusSeconds(1)).setInputTokens(1_000).setCacheReadTokens(4_000).build());
        metering.flushRollups();

        CostRollup day = rollup(RollupDimension.ROUTE, "chat", Granularity.DAY);
        assertThat(day.getCacheWriteTokens()).isEqualTo(4_000);
        assertThat(day.getCacheReadTokens()).isEqualTo(4_000);
        assertThat(day.getCacheWriteCostNanos()).isEqualTo(12_500_000L);
        assertThat(day.getCacheReadCostNanos()).isEqualTo(5_000_000L);
        assertThat(day.getSavingsNanos()).isZero();
    }

    @Test
    void shouldCountALateEventWithinGraceInItsWindow() {
        metering.send(call("e1", "t1", T0.plus(Duration.ofMinutes(3))).build());
        metering.flushRollups();
        metering.send(call("late", "t2", T0.plusSeconds(10)).build());
        metering.flushRollups();

        assertThat(latest(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0).getCalls()).isEqualTo(1);
        assertThat(metering.counter("costmeter.metering.rollup.late", "granularity", "minute")).isZero();
    }

    @Test
    void shouldKeepAnEventAfterGraceOutOfItsClosedWindowButInTheLedgerAndLongerWindows() {
        metering.driver.advanceWallClockTime(Duration.ofMinutes(15));
        metering.send(call("e1", "t1", T0.plus(Duration.ofMinutes(10))).build());
        metering.flushRollups();
        metering.drainRollups();
        metering.send(call("late", "t2", T0.plusSeconds(10)).build());
        metering.flushRollups();

        List<CostRollup> emitted = metering.drainRollups();
        assertThat(emitted).noneMatch(r -> r.getGranularity() == Granularity.MINUTE && r.getWindowStart().equals(T0));
        assertThat(emitted).anyMatch(r -> r.getGranularity() == Granularity.HOUR && r.getDimension() == RollupDimension.TENANT
                && r.getCalls() == 2);
        assertThat(metering.counter("costmeter.metering.rollup.late", "granularity", "minute")).isEqualTo(4.0);
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).contains("late");
    }

    @Test
    void shouldSplitDayWindowsAtUtcMidnight() {
        Instant midnight = Instant.parse("2026-11-28T00:00:00Z");
        metering.driver.advanceWallClockTime(Duration.ofDays(1));
        metering.send(call("before", "t1", midnight.minusMillis(1)).build());
        metering.send(call("after", "t2", midnight).build());
        metering.flushRollups();

        assertThat(latest(RollupDimension.TENANT, "acme", Granularity.DAY, Instant.parse("2026-11-27T00:00:00Z")).getCalls())
                .isEqualTo(1);
        CostRollup next = latest(RollupDimension.TENANT, "acme", Granularity.DAY, midnight);
        assertThat(next.getCalls()).isEqualTo(1);
        assertThat(next.getWindowEnd()).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
    }

    @Test
    void shouldSendAPoisonPillToTheDlqWithItsReasonAndSourceCoordinates() {
        byte[] garbage = "not avro at all".getBytes(StandardCharsets.UTF_8);
        metering.rawUsage.pipeInput(new TestRecord<>("t1".getBytes(StandardCharsets.UTF_8), garbage));
        metering.rawUsage.pipeInput(new TestRecord<>("t1".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0x7f, 0x7f, 1}));
        metering.send(call("ok", "t1", T0).build());

        var dead = metering.dlq.readRecordsToList();
        assertThat(dead).hasSize(2);
        assertThat(dead.get(0).value()).isEqualTo(garbage);
        assertThat(header(dead.get(0), DeadLetters.REASON)).isEqualTo("undecodable");
        assertThat(header(dead.get(0), DeadLetters.SOURCE_TOPIC)).isEqualTo("llm.usage.v1");
        assertThat(header(dead.get(0), DeadLetters.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(header(dead.get(1), DeadLetters.SOURCE_OFFSET)).isEqualTo("1");
        assertThat(header(dead.get(1), DeadLetters.DETAIL)).contains("schema id 32639");
        assertThat(metering.counter("costmeter.metering.rejected", "reason", "undecodable")).isEqualTo(2.0);
        assertThat(metering.ledgerRows()).extracting(PricedUsage::getEventId).containsExactly("ok");
    }

    @Test
    void shouldRejectInvalidEventsWithTheirReason() {
        metering.send(call("neg", "t1", T0).setInputTokens(-1).build());
        metering.send(call("huge", "t1", T0).setOutputTokens(10_000_001).build());
        metering.send(call("future", "t1", T0.plus(Duration.ofHours(1))).build());
        metering.send(call("blank", "t1", T0).setTenantId(" ").build());
        metering.usage.pipeInput(new TestRecord<>("other-key", call("moved", "t1", T0).build(), T0));
        metering.send(call("pipe", "t1", T0).setRoute("a|b").build());

        assertThat(metering.dlq.readRecordsToList()).extracting(r -> header(r, DeadLetters.REASON))
                .containsExactly("negative-value", "absurd-tokens", "future-event", "missing-field", "key-mismatch",
                        "invalid-character");
        assertThat(metering.ledgerRows()).isEmpty();
    }

    private CostRollup rollup(RollupDimension dimension, String scope, Granularity granularity) {
        List<CostRollup> matching = metering.emittedRollups().stream()
                .filter(r -> r.getDimension() == dimension && r.getScope().equals(scope) && r.getGranularity() == granularity)
                .toList();
        assertThat(matching).as("rollups for %s %s %s", dimension, scope, granularity).isNotEmpty();
        return matching.get(matching.size() - 1);
    }

    private CostRollup latest(RollupDimension dimension, String scope, Granularity granularity, Instant windowStart) {
        var store = metering.driver.<String, dev.costmeter.metering.rollup.Counters>getWindowStore(
                MeteringTopology.ROLLUP_STORES.get(granularity));
        var counters = store.fetch(dimension.name() + "|" + scope, windowStart.toEpochMilli());
        assertThat(counters).as("%s %s %s at %s", dimension, scope, granularity, windowStart).isNotNull();
        return CostRollup.newBuilder().setDimension(dimension).setScope(scope).setGranularity(granularity)
                .setWindowStart(windowStart).setWindowEnd(windowStart.plusMillis(
                        dev.costmeter.metering.rollup.Granularities.sizeMs(granularity)))
                .setCalls(counters.calls()).setRetries(counters.retries()).setFailures(counters.failures())
                .setInputTokens(counters.inputTokens()).setOutputTokens(counters.outputTokens())
                .setCacheReadTokens(counters.cacheReadTokens()).setCacheWriteTokens(counters.cacheWriteTokens())
                .setCostNanos(counters.costNanos()).setInputCostNanos(0).setOutputCostNanos(0).setCacheReadCostNanos(0)
                .setCacheWriteCostNanos(0).setSavingsNanos(counters.savingsNanos()).setUpdatedAt(Instant.EPOCH).build();
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
