package dev.costmeter.alerting.scopes;

/**
 * What the scope rules learn from one rollup or one ledger row, keyed by the scope it concerns.
 * It is the only record on the app's repartition topic, so it carries just the numbers the rules
 * read.
 *
 * @param kind          {@code ROLLUP} (running totals of a window: replace) or {@code CALL} (one
 *                      priced call: add)
 * @param granularity   the rollup's window length (MINUTE, HOUR, DAY); null for calls
 * @param windowStartMs the rollup window's start, or the call's event time
 * @param timeMs        when the rollup was updated, or the call's event time
 * @param contributor   for calls: the task id (or end user) the cost is credited to in evidence
 */
public record ScopeSignal(String kind, String granularity, long windowStartMs, long timeMs, long costNanos, long calls,
        long retries, long failures, boolean priced, Long providerCostNanos, String contributor, String taskClass,
        String tenantId) {

    public static final String ROLLUP = "ROLLUP";
    public static final String CALL = "CALL";

    public boolean isCall() {
        return CALL.equals(kind);
    }
}
