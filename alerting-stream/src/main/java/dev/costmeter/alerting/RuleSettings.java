package dev.costmeter.alerting;

import java.time.Duration;
import java.util.Map;

/**
 * Thresholds of the rules that {@code BudgetPolicy} has no field for (loop and rate limits, storm,
 * spike, drift and silence settings). They are app configuration, the same for every scope.
 *
 * @param loopRepeatLimit      K: the same tool call or prompt hash seen this many times in one task blocks it
 * @param callsPerMinute       N: more calls than this in a sliding minute of event time blocks the task
 * @param taskBlockDuration    how long a task block lasts before it is lifted
 * @param taskIdleTimeout      a task not seen for this long is forgotten
 * @param stormWindow          window of the retry-storm, failure-share and spike rules (5 min)
 * @param retryStormPct        X: retry share above which a route or prompt version alerts
 * @param stormMinCalls        M: fewest calls in the window before shares are judged
 * @param failureBlockPct      Y: failure share above which a prompt version is blocked
 * @param failureBlockDuration how long a failing prompt version stays blocked unless it recovers earlier
 * @param spikeFactor          k: last-window spend above k times the trailing per-window average is a spike
 * @param spikeBaseline        trailing period the spike baseline is averaged over
 * @param spikeMinNanos        spend in the window below which no spike is reported
 * @param driftBps             share, in basis points, by which computed and provider cost may differ
 * @param driftMinCalls        fewest calls with a provider cost in an hour before drift is judged
 * @param silence              routes expected to produce traffic, with the longest gap tolerated
 */
public record RuleSettings(
        int loopRepeatLimit,
        int callsPerMinute,
        Duration taskBlockDuration,
        Duration taskIdleTimeout,
        Duration stormWindow,
        int retryStormPct,
        int stormMinCalls,
        int failureBlockPct,
        Duration failureBlockDuration,
        int spikeFactor,
        Duration spikeBaseline,
        long spikeMinNanos,
        int driftBps,
        int driftMinCalls,
        Map<String, Duration> silence) {

    public RuleSettings {
        silence = Map.copyOf(silence);
        if (loopRepeatLimit < 2) {
            throw new IllegalArgumentException("loop.repeat.limit must be at least 2");
        }
        if (callsPerMinute < 1 || stormMinCalls < 1 || driftMinCalls < 1 || spikeFactor < 1) {
            throw new IllegalArgumentException("rule counts must be positive");
        }
        if (stormWindow.toMinutes() < 1 || spikeBaseline.compareTo(stormWindow) <= 0) {
            throw new IllegalArgumentException("rules.window must be >= 1 min and spike.baseline longer than it");
        }
    }

    public static RuleSettings defaults() {
        return new RuleSettings(8, 120, Duration.ofHours(24), Duration.ofHours(6), Duration.ofMinutes(5), 30, 20, 50,
                Duration.ofMinutes(15), 4, Duration.ofHours(1), 1_000_000_000L, 1_000, 20, Map.of());
    }
}
