package dev.costmeter.alerting.control;

/**
 * A condition that has fired and not yet resolved: enough of its FIRING alert to write the
 * RESOLVED one, and whether it holds a kill switch. Once resolved it may be kept for a while as
 * closed ({@code resolvedAtMs} set), so that its dedup key does not page again (see
 * {@link ConditionTracker}); state written before that field existed reads it as null (open).
 */
public record OpenCondition(String dedupKey, String rule, String scope, String severity, String summary,
        Integer thresholdPct, long observed, long limit, String unit, String window, long periodStartMs,
        long resolveByMs, String action, Long resolvedAtMs) {

    public OpenCondition(String dedupKey, String rule, String scope, String severity, String summary,
            Integer thresholdPct, long observed, long limit, String unit, String window, long periodStartMs,
            long resolveByMs, String action) {
        this(dedupKey, rule, scope, severity, summary, thresholdPct, observed, limit, unit, window, periodStartMs,
                resolveByMs, action, null);
    }

    OpenCondition resolvingBy(long newResolveByMs, long newObserved) {
        return new OpenCondition(dedupKey, rule, scope, severity, summary, thresholdPct, newObserved, limit, unit,
                window, periodStartMs, newResolveByMs, action, resolvedAtMs);
    }

    OpenCondition resolvedAt(long nowMs) {
        return new OpenCondition(dedupKey, rule, scope, severity, summary, thresholdPct, observed, limit, unit,
                window, periodStartMs, resolveByMs, action, nowMs);
    }

    /** A resolved rolling condition whose episode went on: its window now starts at {@code startMs}. */
    OpenCondition continuedFrom(long startMs) {
        return new OpenCondition(dedupKey, rule, scope, severity, summary, thresholdPct, observed, limit, unit,
                window, Math.max(periodStartMs, startMs), resolveByMs, action, resolvedAtMs);
    }

    boolean resolved() {
        return resolvedAtMs != null;
    }
}
