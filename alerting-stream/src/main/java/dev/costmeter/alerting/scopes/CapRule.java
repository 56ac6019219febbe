package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.budgets.Periods;
import dev.costmeter.alerting.budgets.Scopes;
import dev.costmeter.alerting.control.ConditionTracker;
import dev.costmeter.alerting.control.Finding;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.Contributor;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * Spend caps per scope and calendar period, with the warning ladder (default 50% and 70%) and the
 * policy's action at 100%. Each step fires once per period, lowest first, even when one update
 * jumps over several; the punctuation resolves them, and lifts the switch, when the period ends.
 *
 * <p>Period spend: in UTC, HOUR and DAY are the rollup windows themselves (running totals) and
 * MONTH sums the month's day windows. In another time zone, DAY and MONTH sum the UTC hour windows
 * that start inside the local period (exact for zones on whole-hour offsets; in a zone such as
 * Asia/Kolkata an hour window counts toward the local day its start falls in).
 */
final class CapRule {

    static final String RULE = "budget_cap";

    private final ConditionTracker tracker;
    private final LongConsumer overshoot;

    /**
     * @param overshoot told, when a cap's 100% step fires, how far past the limit the scope's spend
     *                  already was (nano-USD): the calls that crossed it in the same delta
     */
    CapRule(ConditionTracker tracker, LongConsumer overshoot) {
        this.tracker = tracker;
        this.overshoot = overshoot;
    }

    void evaluate(String scope, ScopeState state, BudgetPolicy policy, long atMs, long nowMs) {
        ZoneId zone = Periods.zone(policy.getTimeZone());
        for (PeriodLimit limit : policy.getLimits()) {
            Periods.Period period = Periods.containing(limit.getPeriod(), Instant.ofEpochMilli(atMs), zone);
            if (period.end().toEpochMilli() <= nowMs || limit.getLimitNanos() <= 0) {
                continue;
            }
            long spend = spend(state, period, zone);
            for (int pct : ladder(policy)) {
                Finding finding = finding(scope, policy, period, zone, pct, spend, limit.getLimitNanos(), state);
                if (Shares.atLeastPct(spend, limit.getLimitNanos(), pct)) {
                    if (tracker.raise(finding, nowMs) && pct == 100) {
                        overshoot.accept(spend - limit.getLimitNanos());
                    }
                } else {
                    tracker.clear(finding.conditionId(), "spend below the threshold after a policy change", nowMs);
                }
            }
        }
    }

    /**
     * The period's spend: the larger of what rollups (or the ledger) say and what the fast path
     * summed from priced usage. The fast path is ahead (it is what stops a cap within a second);
     * rollups are deduplicated by metering and catch up with anything the fast path missed.
     */
    static long spend(ScopeState state, Periods.Period period, ZoneId zone) {
        return Math.max(spend(state.hours(), state.days(), period, zone),
                spend(state.spendHours(), state.spendDays(), period, zone));
    }

    private static long spend(NavigableMap<Long, Long> hours, NavigableMap<Long, Long> days, Periods.Period period,
            ZoneId zone) {
        long start = period.start().toEpochMilli();
        long end = period.end().toEpochMilli();
        boolean utc = zone.normalized().equals(ZoneOffset.UTC);
        return switch (period.kind()) {
            case HOUR -> hours.getOrDefault(start, 0L);
            case DAY -> utc ? days.getOrDefault(start, 0L) : sum(hours.subMap(start, end));
            case MONTH -> sum(utc ? days.subMap(start, end) : hours.subMap(start, end));
        };
    }

    private static long sum(Map<Long, Long> windows) {
        long total = 0;
        for (long cost : windows.values()) {
            total = Math.addExact(total, cost);
        }
        return total;
    }

    private static TreeSet<Integer> ladder(BudgetPolicy policy) {
        TreeSet<Integer> steps = new TreeSet<>();
        for (int pct : policy.getWarnThresholdsPct()) {
            if (pct > 0 && pct < 100) {
                steps.add(pct);
            }
        }
        steps.add(100);
        return steps;
    }

    private static Finding finding(String scope, BudgetPolicy policy, Periods.Period period, ZoneId zone, int pct,
            long spend, long limit, ScopeState state) {
        boolean atCap = pct == 100;
        SwitchAction action = null;
        if (atCap && Scopes.switchable(scope)) {
            action = policy.getAction() == BudgetAction.BLOCK ? SwitchAction.BLOCK
                    : policy.getAction() == BudgetAction.DEGRADE && policy.getDegradeModel() != null
                            ? SwitchAction.DEGRADE : null;
        }
        String summary = scope + " spent " + usd(spend) + " of its " + period.kind() + " budget " + usd(limit) + " ("
                + pct + "% reached" + (action == null ? "" : ", " + action) + ")";
        return new Finding(RULE, scope, period.kind() + "-" + pct, true, period.start(), period.end(),
                atCap ? Severity.CRITICAL : Severity.WARNING, summary, pct, spend, limit, "nanos", period.label(zone),
                action, policy.getDegradeModel(), top(state), evidence(zone, atCap, spend, limit));
    }

    /** The 100% step also says how far past the limit spend was when it fired: the overshoot. */
    private static Map<String, String> evidence(ZoneId zone, boolean atCap, long spend, long limit) {
        if (!atCap) {
            return Map.of("time_zone", zone.getId());
        }
        long past = Math.max(0, spend - limit);
        return Map.of("time_zone", zone.getId(), "overshoot_nanos", Long.toString(past), "overshoot_usd", usd(past));
    }

    static List<Contributor> top(ScopeState state) {
        List<Contributor> top = new ArrayList<>();
        state.contributors().entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, ScopeState.Stats> e) -> e.getValue().cost()).reversed())
                .limit(5)
                .forEach(e -> top.add(new Contributor(e.getKey(), e.getValue().cost(), e.getValue().calls())));
        return top;
    }

    static String usd(long nanos) {
        return "$" + java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }
}
