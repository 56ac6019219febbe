package dev.costmeter.faults.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.price.Tokens;
import dev.costmeter.faults.workload.PlannedCall;
import dev.costmeter.faults.workload.PlannedOutcome;
import dev.costmeter.faults.workload.Step;
import dev.costmeter.faults.workload.WorkloadPlan;
import dev.costmeter.faults.workload.WorkloadSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The oracle's aggregates on a hand-made workload that straddles UTC midnight. */
class OracleTest {

    private static final Instant RUN_START = Instant.parse("2026-12-06T23:59:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-12-06");
    private static final LocalDate NEXT = DAY.plusDays(1);

    // 1000 × 0.500021 = 500.021 → 500; 100 × 4.000067 = 400.0067 → 400: 900 nano-USD, on the first day.
    private static final PlannedCall PAID = call(0, 30_000, "e1", false);
    // The same tokens answered from the response cache, after midnight: 0 charged, 900 saved.
    private static final PlannedCall CACHED = call(1, 70_000, "e2", true);
    private static final PlannedOutcome SUCCESS = new PlannedOutcome(71_000, "t1", "litware", "summary", "summaries",
            Outcome.SUCCESS, false);
    private static final WorkloadPlan PLAN = new WorkloadPlan(WorkloadSpec.campaign(1, 2, 60_000, 8, 120),
            List.of(new Step.Call(PAID), new Step.Call(CACHED), new Step.SendOutcome(SUCCESS)), List.of(PAID, CACHED),
            List.of(SUCCESS), List.of(), List.of(), "litware", 1_500);

    @Test
    void shouldPriceEachCallAndPutItOnTheUtcDayOfItsEventTime() {
        Expectations expected = Oracle.expect(PLAN, RUN_START, i -> true, i -> true, Map.of());
        assertThat(expected.ledger().get("e1").costNanos()).isEqualTo(900);
        assertThat(expected.ledger().get("e2").costNanos()).isZero();
        assertThat(expected.ledger().get("e2").savingsNanos()).isEqualTo(900);
        assertThat(expected.rollups().get(new Keys.Rollup("TENANT", "litware", DAY)))
                .isEqualTo(new SpendTotals(1, 0, 0, 0, 0, 1_000, 100, 0, 0, 900, 500, 400, 0, 0, 0));
        assertThat(expected.rollups().get(new Keys.Rollup("TENANT", "litware", NEXT)))
                .isEqualTo(new SpendTotals(1, 0, 0, 1, 0, 1_000, 100, 0, 0, 0, 0, 0, 0, 0, 900));
        assertThat(expected.rollups()).containsKey(new Keys.Rollup("MODEL", "openai/fc-nano", DAY));
        assertThat(expected.rollups()).containsKey(new Keys.Rollup("PROMPT_VERSION", "summaries@v1", NEXT));
    }

    @Test
    void shouldCountAFinishedTaskOnTheDayOfItsOutcomeOncePerModel() {
        Expectations expected = Oracle.expect(PLAN, RUN_START, i -> true, i -> true, Map.of());
        assertThat(expected.taskClasses()).containsExactly(Map.entry(new Keys.TaskClass("summary", NEXT, "openai/fc-nano"),
                new Values.TaskClassStats(2, 900, 1, 1, 900, 0)));
        assertThat(expected.successCost()).containsExactly(Map.entry(new Keys.ClassDay(NEXT, "summary"),
                new Values.SuccessCost(1, 1, 900, 0, 900L)));
        assertThat(expected.tasks().get("t1")).isEqualTo(new Values.Task(2, 0, 0, 1, 0, 2_000, 200, 0, 0, 900, 900, 0,
                Map.of("openai/fc-nano", new Values.ModelUse(2, 900)), "SUCCESS"));
    }

    @Test
    void shouldExpectEachLadderStepTheDaysSpendReaches() {
        Expectations expected = Oracle.expect(PLAN, RUN_START, i -> true, i -> true, Map.of());
        // 900 of 1500 is 60%: the 50% step only, on the first day; nothing is blocked.
        assertThat(expected.alerts()).containsExactly(new ExpectedAlert("budget_cap", "tenant:litware", "DAY-50",
                "budget_cap|tenant:litware|DAY-50|2026-12-06T00:00:00Z"));
        assertThat(expected.blockedScopes()).isEmpty();
    }

    @Test
    void shouldExpectNothingOfACallKafkaNeverAcknowledged() {
        Expectations expected = Oracle.expect(PLAN, RUN_START, i -> i != 0, i -> true, Map.of());
        assertThat(expected.ledger()).containsOnlyKeys("e2");
        assertThat(expected.alerts()).isEmpty();
        assertThat(expected.successCost().get(new Keys.ClassDay(NEXT, "summary")).costNanos()).isZero();
    }

    private static PlannedCall call(int index, long offset, String eventId, boolean cacheHit) {
        return new PlannedCall(index, offset, offset, eventId, "t1", "litware", "summary", "summaries", "summaries@v1", null,
                CampaignPrices.NANO, new Tokens(1_000, 100, 0, 0), 0, false, 1, index + 1, null, null, CallStatus.OK, cacheHit,
                100, null, Map.of());
    }
}
