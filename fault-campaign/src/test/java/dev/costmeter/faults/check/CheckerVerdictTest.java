package dev.costmeter.faults.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.faults.oracle.ExpectedAlert;
import dev.costmeter.faults.oracle.ExpectedDeadLetter;
import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.oracle.Keys;
import dev.costmeter.faults.oracle.LedgerRow;
import dev.costmeter.faults.oracle.Oracle;
import dev.costmeter.faults.oracle.SpendTotals;
import dev.costmeter.faults.workload.PoisonKind;
import dev.costmeter.faults.workload.WorkloadPlan;
import dev.costmeter.faults.workload.WorkloadPlanner;
import dev.costmeter.faults.workload.WorkloadSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker's verdicts on stores that are right, and on stores with one real discrepancy each. */
class CheckerVerdictTest {

    private static final Instant RUN_START = Instant.parse("2026-12-06T10:00:00Z");
    private static final WorkloadPlan PLAN = WorkloadPlanner.plan(WorkloadSpec.campaign(11, 2_000, 60_000, 8, 120)
            .withLongTasks(1, 70, 90).withPoison(1, Set.of(PoisonKind.RANDOM_BYTES)));
    private static final Expectations EXPECTED = Oracle.expect(PLAN, RUN_START, i -> true, i -> true,
            Map.of(0, new byte[] {1, 2, 3}));

    private static List<LedgerRow> correctLedger() {
        return new ArrayList<>(EXPECTED.ledger().values());
    }

    private static EventStoreResult check(List<LedgerRow> rows) {
        EventStoreCheck check = new EventStoreCheck("ledger", EXPECTED);
        rows.forEach(check::accept);
        return check.result();
    }

    @Test
    void shouldPassALedgerHoldingEachAcceptedCallOnceAtItsExactCost() {
        EventStoreResult result = check(correctLedger());
        assertThat(result.ok()).isTrue();
        assertThat(result.rowsRead()).isEqualTo(EXPECTED.ledger().size());
    }

    @Test
    void shouldCatchAMissingCall() {
        List<LedgerRow> rows = correctLedger();
        LedgerRow lost = rows.remove(17);
        EventStoreResult result = check(rows);
        assertThat(result.ok()).isFalse();
        assertThat(result.missing()).containsExactly(lost.eventId());
        assertThat(result.duplicated()).isEmpty();
        assertThat(result.wrong()).isEmpty();
    }

    @Test
    void shouldCatchACallChargedTwice() {
        List<LedgerRow> rows = correctLedger();
        rows.add(rows.get(42));
        EventStoreResult result = check(rows);
        assertThat(result.duplicated()).containsExactly(Map.entry(rows.get(42).eventId(), 2));
        assertThat(result.missing()).isEmpty();
    }

    @Test
    void shouldCatchACallOffByOneNano() {
        List<LedgerRow> rows = correctLedger();
        LedgerRow right = rows.get(5);
        rows.set(5, withCost(right, right.costNanos() + 1, right.inputCostNanos() + 1));
        EventStoreResult result = check(rows);
        assertThat(result.wrong()).containsOnlyKeys(right.eventId());
        assertThat(result.wrong().get(right.eventId())).contains("cost_nanos " + right.costNanos() + "→" + (right.costNanos() + 1));
        assertThat(result.wrongMoney()).containsExactly(right.eventId());
        assertThat(result.missing()).isEmpty();
    }

    @Test
    void shouldCatchAChargeForNoAcceptedCall() {
        List<LedgerRow> rows = correctLedger();
        LedgerRow stranger = rows.get(0);
        rows.add(new LedgerRow("p11-0", stranger.eventTime(), stranger.tenantId(), "tp11-0", stranger.taskClass(),
                stranger.route(), null, null, stranger.provider(), stranger.model(), 1, 1, 0, 0, 0, false, 1, null, null, "OK",
                false, 5, 5, 0, 0, 0, 0, true, null, false, null));
        assertThat(check(rows).unexpected()).containsOnlyKeys("p11-0");
    }

    @Test
    void shouldCatchARollupOffByOneCall() {
        Map<Keys.Rollup, SpendTotals> observed = new HashMap<>(EXPECTED.rollups());
        Keys.Rollup key = observed.keySet().iterator().next();
        SpendTotals right = observed.get(key);
        observed.put(key, new SpendTotals(right.calls() + 1, right.retries(), right.failures(), right.responseCacheHits(),
                right.unpricedCalls(), right.inputTokens(), right.outputTokens(), right.cacheReadTokens(),
                right.cacheWriteTokens(), right.costNanos(), right.inputCostNanos(), right.outputCostNanos(),
                right.cacheReadCostNanos(), right.cacheWriteCostNanos(), right.savingsNanos()));
        assertThat(AggregateCheck.compare("rollups", EXPECTED.rollups(), EXPECTED.rollups(), true).ok()).isTrue();
        AggregateResult result = AggregateCheck.compare("rollups", EXPECTED.rollups(), observed, true);
        assertThat(result.mismatches()).hasSize(1).first().extracting(AggregateResult.Mismatch::key).isEqualTo(key);
    }

    @Test
    void shouldCatchAMissingAndAnExtraKeyOnlyWhereTheStoreIsReadWhole() {
        Map<String, Integer> expected = Map.of("a", 1, "b", 2);
        Map<String, Integer> observed = Map.of("a", 1, "c", 3);
        assertThat(AggregateCheck.compare("s", expected, observed, true).mismatches()).hasSize(2);
        assertThat(AggregateCheck.compare("s", expected, observed, false).mismatches()).hasSize(1);
    }

    @Test
    void shouldWantEachBadRecordInTheDlqOnceWithItsReason() {
        String sha = EXPECTED.deadLetters().keySet().iterator().next();
        ExpectedDeadLetter want = EXPECTED.deadLetters().get(sha);
        assertThat(want.reason()).isEqualTo("undecodable");
        DeadLetter right = new DeadLetter(sha, want.key(), "undecodable", "llm.usage.v1", "metering-stream");
        assertThat(DeadLetterCheck.compare(EXPECTED.deadLetters(), List.of(right)).ok()).isTrue();
        assertThat(DeadLetterCheck.compare(EXPECTED.deadLetters(), List.of()).missing()).hasSize(1);
        assertThat(DeadLetterCheck.compare(EXPECTED.deadLetters(), List.of(right, right)).duplicated()).hasSize(1);
        assertThat(DeadLetterCheck.compare(EXPECTED.deadLetters(),
                List.of(new DeadLetter(sha, want.key(), "processing-error", "llm.usage.v1", "metering-stream"))).wrongReason())
                .hasSize(1);
        DeadLetter lostCall = new DeadLetter("beef", "t1", "undecodable", "llm.usage.v1", "alerting-stream");
        assertThat(DeadLetterCheck.compare(EXPECTED.deadLetters(), List.of(right, lostCall)).unexpected())
                .containsExactly(lostCall);
    }

    @Test
    void shouldWantEachDesignedAlertFiringOnceAndEachDesignedScopeBlocked() {
        List<ExpectedAlert> designed = List.of(
                new ExpectedAlert("budget_cap", "tenant:litware", "DAY-50", "budget_cap|tenant:litware|DAY-50|2026-12-06T00:00:00Z"),
                new ExpectedAlert("task_loop", "task:t1", "K8", null));
        List<AlertSeen> right = List.of(
                new AlertSeen("budget_cap|tenant:litware|DAY-50|2026-12-06T00:00:00Z", "budget_cap", "tenant:litware", "FIRING"),
                new AlertSeen("task_loop|task:t1|K8|2026-12-06T10:00:01Z", "task_loop", "task:t1", "FIRING"),
                new AlertSeen("spike|route:agent|x4|2026-12-06T10:05:00Z", "spike", "route:agent", "FIRING"),
                new AlertSeen("budget_cap|tenant:litware|DAY-50|2026-12-06T00:00:00Z", "budget_cap", "tenant:litware", "RESOLVED"));
        List<SwitchSeen> blocks = List.of(new SwitchSeen("tenant:litware", "BLOCK", "rule:budget_cap"),
                new SwitchSeen("task:t1", "BLOCK", "rule:task_loop"));
        List<String> scopes = List.of("tenant:litware", "task:t1");
        AlertResult ok = AlertCheck.compare(designed, scopes, right, blocks);
        assertThat(ok.ok()).isTrue();
        assertThat(ok.otherRules()).containsExactly(Map.entry("spike", 1));

        List<AlertSeen> twice = new ArrayList<>(right);
        twice.add(right.get(0));
        assertThat(AlertCheck.compare(designed, scopes, twice, blocks).duplicatedFirings()).hasSize(1);

        List<AlertSeen> refired = new ArrayList<>(right);
        refired.add(new AlertSeen("task_loop|task:t1|K8|2026-12-06T10:07:00Z", "task_loop", "task:t1", "FIRING"));
        assertThat(AlertCheck.compare(designed, scopes, refired, blocks).refired()).hasSize(1);

        assertThat(AlertCheck.compare(designed, scopes, right.subList(1, 3), blocks).missing()).hasSize(1);
        assertThat(AlertCheck.compare(designed, scopes, right, blocks.subList(0, 1)).missingBlocks()).containsExactly("task:t1");

        List<AlertSeen> stray = new ArrayList<>(right);
        stray.add(new AlertSeen("task_loop|task:t9|K8|2026-12-06T10:00:01Z", "task_loop", "task:t9", "FIRING"));
        assertThat(AlertCheck.compare(designed, scopes, stray, blocks).unexpected()).hasSize(1);
    }

    private static LedgerRow withCost(LedgerRow r, long cost, long inputCost) {
        return new LedgerRow(r.eventId(), r.eventTime(), r.tenantId(), r.taskId(), r.taskClass(), r.route(), r.promptVersion(),
                r.endUserId(), r.provider(), r.model(), r.inputTokens(), r.outputTokens(), r.cacheReadTokens(),
                r.cacheWriteTokens(), r.reasoningTokens(), r.batch(), r.attempt(), r.step(), r.toolName(), r.status(),
                r.responseCacheHit(), cost, inputCost, r.outputCostNanos(), r.cacheReadCostNanos(), r.cacheWriteCostNanos(),
                r.savingsNanos(), r.priced(), r.priceVersion(), r.longContext(), r.providerCostNanos());
    }
}
