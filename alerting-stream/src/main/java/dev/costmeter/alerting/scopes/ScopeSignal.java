package dev.costmeter.alerting.scopes;

import java.util.Map;

/**
 * What the scope rules learn from one rollup or one ledger row, keyed by the scope it concerns.
 * It is the only record on the app's repartition topic, so it carries just the numbers the rules
 * read.
 *
 * @param kind          {@code ROLLUP} (running totals of a window: replace), {@code CALL} (one
 *                      priced call from the ledger: add) or {@code SPEND} (the fast path: spend of
 *                      a capped scope in one UTC hour, summed from priced usage: add to the
 *                      scope's fast totals, which the caps read alongside the slower ones)
 * @param granularity   the rollup's window length (MINUTE, HOUR, DAY); null for calls
 * @param windowStartMs the rollup window's start, or the call's event time
 * @param timeMs        when the rollup was updated, or the call's event time
 * @param contributor   for calls: the task id (or end user) the cost is credited to in evidence
 * @param contributors  for spend deltas: spend per task among the delta's calls
 */
public record ScopeSignal(String kind, String granularity, long windowStartMs, long timeMs, long costNanos, long calls,
        long retries, long failures, boolean priced, Long providerCostNanos, String contributor, String taskClass,
        String tenantId, Map<String, Long> contributors) {

    public static final String ROLLUP = "ROLLUP";
    public static final String CALL = "CALL";
    public static final String SPEND = "SPEND";

    /** A rollup or a call, which name at most one contributor. */
    public ScopeSignal(String kind, String granularity, long windowStartMs, long timeMs, long costNanos, long calls,
            long retries, long failures, boolean priced, Long providerCostNanos, String contributor, String taskClass,
            String tenantId) {
        this(kind, granularity, windowStartMs, timeMs, costNanos, calls, retries, failures, priced, providerCostNanos,
                contributor, taskClass, tenantId, null);
    }

    /** A fast-path spend delta: {@code costNanos} over {@code calls} calls in the UTC hour starting at {@code hourStartMs}. */
    public static ScopeSignal spend(long hourStartMs, long lastEventMs, long costNanos, long calls,
            Map<String, Long> contributors) {
        return new ScopeSignal(SPEND, null, hourStartMs, lastEventMs, costNanos, calls, 0, 0, true, null, null, null, null,
                contributors);
    }

    public boolean isCall() {
        return CALL.equals(kind);
    }

    public boolean isSpend() {
        return SPEND.equals(kind);
    }
}
