package dev.costmeter.alerting.scopes;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the scope rules remember about one scope. Rollup-fed scopes (tenant, route, task_class)
 * replace window totals; call-fed scopes (end_user, prompt, task, model) add each call.
 *
 * @param firstSignalMs wall-clock time the scope was first seen (a task's "period" start)
 * @param lastTrafficMs latest traffic time seen (rollup update or call event time)
 * @param lastSignalMs  wall-clock time of the last signal, for forgetting idle scopes
 * @param totalCost     spend of all calls seen (call-fed scopes; the task spend ceiling)
 * @param minutes       per-minute stats, minute start → stats, kept for the spike baseline
 * @param hours         spend per UTC hour window
 * @param days          spend per UTC day window
 * @param contributors  spend per task or user in the current UTC day (call-fed scopes), for evidence
 * @param contributorsDayMs the UTC day the contributors belong to
 * @param drift         computed against provider-reported cost in the current hour (model scopes)
 * @param spendHours    fast-path spend per UTC hour, summed from priced usage (capped scopes)
 * @param spendDays     fast-path spend per UTC day, likewise. The caps read the larger of these and
 *                      the rollup or ledger totals: the fast path is ahead of rollups, and rollups
 *                      (deduplicated, the ledger's truth) catch up with anything it missed
 */
public record ScopeState(long firstSignalMs, long lastTrafficMs, long lastSignalMs, long totalCost,
        TreeMap<Long, Stats> minutes, TreeMap<Long, Long> hours, TreeMap<Long, Long> days,
        Map<String, Stats> contributors, long contributorsDayMs, Drift drift,
        TreeMap<Long, Long> spendHours, TreeMap<Long, Long> spendDays) {

    /** Calls and spend of one minute (or one contributor). */
    public record Stats(long cost, long calls, long retries, long failures) {

        Stats plus(Stats o) {
            return new Stats(cost + o.cost, calls + o.calls, retries + o.retries, failures + o.failures);
        }
    }

    /** Sums of computed and provider-reported cost over the calls of one hour that carry both. */
    public record Drift(long hourStartMs, long calls, long computedNanos, long providerNanos) {
    }

    static final int MAX_CONTRIBUTORS = 1_000;

    public ScopeState {
        minutes = new TreeMap<>(minutes == null ? Map.of() : minutes);
        hours = new TreeMap<>(hours == null ? Map.of() : hours);
        days = new TreeMap<>(days == null ? Map.of() : days);
        contributors = new HashMap<>(contributors == null ? Map.of() : contributors);
        drift = drift == null ? new Drift(0, 0, 0, 0) : drift;
        spendHours = new TreeMap<>(spendHours == null ? Map.of() : spendHours);
        spendDays = new TreeMap<>(spendDays == null ? Map.of() : spendDays);
    }

    static ScopeState empty(long nowMs) {
        return new ScopeState(nowMs, 0, nowMs, 0, null, null, null, null, 0, null, null, null);
    }
}
