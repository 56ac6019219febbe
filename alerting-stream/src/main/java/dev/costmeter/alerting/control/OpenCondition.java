package dev.costmeter.alerting.control;

/**
 * A condition that has fired and not yet resolved: enough of its FIRING alert to write the
 * RESOLVED one, and whether it holds a kill switch.
 */
public record OpenCondition(String dedupKey, String rule, String scope, String severity, String summary,
        Integer thresholdPct, long observed, long limit, String unit, String window, long periodStartMs,
        long resolveByMs, String action) {

    OpenCondition resolvingBy(long newResolveByMs, long newObserved) {
        return new OpenCondition(dedupKey, rule, scope, severity, summary, thresholdPct, newObserved, limit, unit,
                window, periodStartMs, newResolveByMs, action);
    }
}
