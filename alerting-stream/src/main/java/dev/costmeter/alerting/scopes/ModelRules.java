package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.RuleSettings;
import dev.costmeter.alerting.control.ConditionTracker;
import dev.costmeter.alerting.control.Finding;
import dev.costmeter.contracts.Severity;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Rules that say the price catalog is wrong: a model seen without a price (once per UTC day; it
 * resolves at the day's end or when a priced call of the model is seen), and computed cost drifting
 * from the provider-reported cost by more than a set share within an hour.
 */
final class ModelRules {

    private final RuleSettings rules;
    private final ConditionTracker tracker;

    ModelRules(RuleSettings rules, ConditionTracker tracker) {
        this.rules = rules;
        this.tracker = tracker;
    }

    void evaluate(String scope, ScopeState state, ScopeSignal call, long nowMs) {
        long day = Accumulate.floor(call.windowStartMs(), Accumulate.DAY_MS);
        Finding unpriced = new Finding("unpriced_model", scope, "any", true, Instant.ofEpochMilli(day),
                Instant.ofEpochMilli(day + Accumulate.DAY_MS), Severity.WARNING,
                scope + " is called but has no price in force: its spend is not counted", null, 1, 0, "calls",
                "DAY " + Instant.ofEpochMilli(day), null, null, List.of(),
                Map.of("example_task", String.valueOf(call.contributor())));
        if (!call.priced()) {
            if (day + Accumulate.DAY_MS > nowMs) {
                tracker.raise(unpriced, nowMs);
            }
        } else {
            tracker.clear(unpriced.conditionId(), "a price is in force", nowMs);
        }
        drift(scope, state.drift(), nowMs);
    }

    private void drift(String scope, ScopeState.Drift d, long nowMs) {
        if (d.calls() < rules.driftMinCalls() || d.providerNanos() <= 0) {
            return;
        }
        long bps = Shares.bps(Math.abs(d.computedNanos() - d.providerNanos()), d.providerNanos());
        if (bps <= rules.driftBps() || d.hourStartMs() + Accumulate.HOUR_MS <= nowMs) {
            return;
        }
        tracker.raise(new Finding("price_drift", scope, rules.driftBps() + "bps", true, Instant.ofEpochMilli(d.hourStartMs()),
                Instant.ofEpochMilli(d.hourStartMs() + Accumulate.HOUR_MS), Severity.WARNING,
                scope + ": computed cost " + CapRule.usd(d.computedNanos()) + " differs from the provider's "
                        + CapRule.usd(d.providerNanos()) + " by " + bps + " bps; the price catalog may be stale",
                null, bps, rules.driftBps(), "bps", "HOUR " + Instant.ofEpochMilli(d.hourStartMs()), null, null,
                List.of(), Map.of("computed_nanos", Long.toString(d.computedNanos()),
                        "provider_nanos", Long.toString(d.providerNanos()), "calls", Long.toString(d.calls()))), nowMs);
    }
}
