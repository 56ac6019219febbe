package dev.costmeter.alerting.control;

import dev.costmeter.contracts.Contributor;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A rule's verdict that a condition holds now.
 *
 * @param rule         rule name, e.g. {@code budget_cap}; also the issuer {@code rule:<name>}
 * @param scope        the narrowest scope that explains the breach (control-scope syntax)
 * @param threshold    what was crossed, e.g. {@code 70} (percent) or {@code calls>50}
 * @param periodic     true when the condition belongs to a calendar period that starts at
 *                     {@code periodStart} (its dedup key is known in advance); false for rolling
 *                     conditions, whose dedup key takes the time they first fired
 * @param periodStart  start of the period, or of the window in which a rolling condition fired
 * @param resolveBy    when the condition resolves at the latest (period end; for rolling
 *                     conditions, pushed forward every time the condition is seen to hold)
 * @param severity     how urgent
 * @param summary      one line for a human
 * @param thresholdPct the ladder step, for budget caps
 * @param observed     the observed value
 * @param limit        the limit, same unit
 * @param unit         nanos, calls, tokens or bps
 * @param window       what the values cover, e.g. {@code DAY 2026-11-27} or {@code PT5M}
 * @param action       the switch to flip on {@code scope}, or null for an alert only
 * @param fallbackModel the model for DEGRADE
 * @param top          largest contributors
 * @param evidence     further facts
 */
public record Finding(String rule, String scope, String threshold, boolean periodic, Instant periodStart,
        Instant resolveBy, Severity severity, String summary, Integer thresholdPct, long observed, long limit,
        String unit, String window, SwitchAction action, String fallbackModel, List<Contributor> top,
        Map<String, String> evidence) {

    /** Identifies the condition while it holds: rule|scope|threshold, plus the period when periodic. */
    public String conditionId() {
        String base = rule + "|" + scope + "|" + threshold;
        return periodic ? base + "|" + periodStart : base;
    }

    /** The dedup key of an alert first fired now: rule|scope|threshold|period-start. */
    public String dedupKey() {
        return rule + "|" + scope + "|" + threshold + "|" + periodStart;
    }
}
