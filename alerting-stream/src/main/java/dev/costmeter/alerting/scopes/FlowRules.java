package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.RuleSettings;
import dev.costmeter.alerting.control.ConditionTracker;
import dev.costmeter.alerting.control.Finding;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Rolling-window rules on a scope's per-minute stats: spend spike against the trailing baseline,
 * retry storm (route or prompt version) and failure share (prompt version: BLOCK that version
 * only). The window ends at the latest minute seen. Each resolves when it clears, or when the scope
 * goes quiet for a window (the punctuation).
 */
final class FlowRules {

    private final RuleSettings rules;
    private final ConditionTracker tracker;

    FlowRules(RuleSettings rules, ConditionTracker tracker) {
        this.rules = rules;
        this.tracker = tracker;
    }

    void evaluate(String scope, ScopeState state, long nowMs) {
        if (state.minutes().isEmpty()) {
            return;
        }
        long windowMs = rules.stormWindow().toMillis();
        long last = state.minutes().lastKey();
        long windowStart = last - windowMs + Accumulate.MINUTE_MS;
        ScopeState.Stats window = sum(state, windowStart, last + 1);
        Instant start = Instant.ofEpochMilli(windowStart);
        Instant until = Instant.ofEpochMilli(nowMs + windowMs);
        spike(scope, state, window, windowStart, start, until, nowMs);
        if (scope.startsWith("route:") || scope.startsWith("prompt:")) {
            retryStorm(scope, window, start, until, nowMs);
        }
        if (scope.startsWith("prompt:")) {
            failureShare(scope, window, start, nowMs);
        }
    }

    private void spike(String scope, ScopeState state, ScopeState.Stats window, long windowStart, Instant start,
            Instant until, long nowMs) {
        long baselineMs = rules.spikeBaseline().toMillis();
        long windows = baselineMs / rules.stormWindow().toMillis();
        long baseline = sum(state, windowStart - baselineMs, windowStart).cost();
        String id = "spike|" + scope + "|x" + rules.spikeFactor();
        // last window > k × (baseline / windows), kept in integers: last × windows > k × baseline
        boolean holds = baseline > 0 && window.cost() >= rules.spikeMinNanos()
                && Shares.greater(window.cost(), windows, baseline, rules.spikeFactor());
        if (!holds) {
            tracker.clear(id, "spend back under " + rules.spikeFactor() + "x baseline", nowMs);
            return;
        }
        long perWindow = baseline / windows;
        tracker.raise(new Finding("spike", scope, "x" + rules.spikeFactor(), false, start, until, Severity.WARNING,
                scope + " spent " + CapRule.usd(window.cost()) + " in the last " + rules.stormWindow().toMinutes()
                        + " min, over " + rules.spikeFactor() + "x its trailing average of " + CapRule.usd(perWindow),
                null, window.cost(), perWindow * rules.spikeFactor(), "nanos", rules.stormWindow().toString(), null, null,
                CapRule.top(state), Map.of("baseline_window", rules.spikeBaseline().toString())), nowMs);
    }

    private void retryStorm(String scope, ScopeState.Stats window, Instant start, Instant until, long nowMs) {
        String id = "retry_storm|" + scope + "|" + rules.retryStormPct() + "pct";
        boolean holds = window.calls() >= rules.stormMinCalls()
                && Shares.abovePct(window.retries(), window.calls(), rules.retryStormPct());
        if (!holds) {
            tracker.clear(id, "retry share back under " + rules.retryStormPct() + "%", nowMs);
            return;
        }
        long bps = Shares.bps(window.retries(), window.calls());
        tracker.raise(new Finding("retry_storm", scope, rules.retryStormPct() + "pct", false, start, until,
                Severity.WARNING, scope + ": " + window.retries() + " of " + window.calls() + " calls were retries in "
                        + rules.stormWindow().toMinutes() + " min", null, bps, rules.retryStormPct() * 100L, "bps",
                rules.stormWindow().toString(), null, null, List.of(),
                Map.of("calls", Long.toString(window.calls()), "retries", Long.toString(window.retries()))), nowMs);
    }

    private void failureShare(String scope, ScopeState.Stats window, Instant start, long nowMs) {
        String id = "prompt_failures|" + scope + "|" + rules.failureBlockPct() + "pct";
        boolean holds = window.calls() >= rules.stormMinCalls()
                && Shares.abovePct(window.failures(), window.calls(), rules.failureBlockPct());
        if (!holds) {
            tracker.clear(id, "failure share back under " + rules.failureBlockPct() + "%", nowMs);
            return;
        }
        long bps = Shares.bps(window.failures(), window.calls());
        tracker.raise(new Finding("prompt_failures", scope, rules.failureBlockPct() + "pct", false, start,
                Instant.ofEpochMilli(nowMs + rules.failureBlockDuration().toMillis()), Severity.CRITICAL,
                scope + ": " + window.failures() + " of " + window.calls() + " calls failed in "
                        + rules.stormWindow().toMinutes() + " min; this prompt version is blocked", null, bps,
                rules.failureBlockPct() * 100L, "bps", rules.stormWindow().toString(), SwitchAction.BLOCK, null,
                List.of(), Map.of("calls", Long.toString(window.calls()), "failures", Long.toString(window.failures()))),
                nowMs);
    }

    private static ScopeState.Stats sum(ScopeState state, long from, long to) {
        ScopeState.Stats total = new ScopeState.Stats(0, 0, 0, 0);
        for (ScopeState.Stats s : state.minutes().subMap(from, to).values()) {
            total = total.plus(s);
        }
        return total;
    }
}
