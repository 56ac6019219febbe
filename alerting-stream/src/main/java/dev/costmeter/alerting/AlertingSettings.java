package dev.costmeter.alerting;

import dev.costmeter.alerting.control.ControlKeeper;
import dev.costmeter.alerting.control.ControlKeys;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.schemas.validation.UsageValidator;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the alerting topology is built from.
 *
 * @param topics             costmeter's topic names
 * @param appName            the app's name, written into dead-letter headers
 * @param keyRing            the kill-switch keys: the private key commands are signed with and the
 *                           public keys the control topic is verified with
 * @param rules              rule thresholds not carried by budget policies
 * @param punctuateInterval  how often (wall clock) periods are closed and quiet switches lifted
 * @param durableTaskState   whether per-task counters are backed by a changelog. Off by default:
 *                           the changelog of a counter updated on every usage event doubles what the
 *                           app writes, and under exactly-once each commit waits for it. On the shared
 *                           2-core machine under contention (load average 5-8) a back-to-back pair
 *                           measured p99 3.9 s with it and 0.24 s without; on a quiet machine both met
 *                           the 500 ms target (see the README). Without it a task's counters restart
 *                           from zero after a failover (a loop then needs up to K more calls, a
 *                           ceiling may be overrun once by its own size); decisions already taken
 *                           (open conditions, switches, sequences) are always durable.
 * @param usageRules         the contract's validation of usage events, with the same limits as
 *                           metering-stream ({@code max.tokens.per.call}, {@code max.future.skew}):
 *                           alerting acts only on events metering accepts, and skips the rest
 *                           (metering dead-letters them)
 * @param capFlushInterval   how long the spend caps' fast path sums a scope's spend on a partition
 *                           before sending it on (default 20 ms): shorter acts sooner, longer sends
 *                           fewer records through the repartition
 * @param keeper             how the control topic is kept clean: tombstone delay and replay horizon of
 *                           task switches ({@link ControlKeeper.Settings})
 */
public record AlertingSettings(TopicNames topics, String appName, ControlKeys keyRing, RuleSettings rules,
        Duration punctuateInterval, boolean durableTaskState, UsageValidator usageRules, Duration capFlushInterval,
        ControlKeeper.Settings keeper) {

    /** The default cap flush interval. */
    public static final Duration DEFAULT_CAP_FLUSH_INTERVAL = Duration.ofMillis(20);

    /** With the default validation limits, cap flush interval and control-topic keeping. */
    public AlertingSettings(TopicNames topics, String appName, ControlKeys keyRing, RuleSettings rules,
            Duration punctuateInterval, boolean durableTaskState) {
        this(topics, appName, keyRing, rules, punctuateInterval, durableTaskState,
                new UsageValidator(UsageValidator.DEFAULT_MAX_TOKENS_PER_CALL, UsageValidator.DEFAULT_MAX_FUTURE_SKEW),
                DEFAULT_CAP_FLUSH_INTERVAL, ControlKeeper.Settings.defaults());
    }

    public AlertingSettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(keyRing, "keyRing");
        Objects.requireNonNull(rules, "rules");
        Objects.requireNonNull(usageRules, "usageRules");
        Objects.requireNonNull(keeper, "keeper");
        if (capFlushInterval.isNegative() || capFlushInterval.isZero()) {
            throw new IllegalArgumentException("cap.flush.interval must be positive");
        }
        if (punctuateInterval.isNegative() || punctuateInterval.isZero()) {
            throw new IllegalArgumentException("punctuate.interval must be positive");
        }
    }

    public AlertingSettings withRules(RuleSettings newRules) {
        return new AlertingSettings(topics, appName, keyRing, newRules, punctuateInterval, durableTaskState, usageRules,
                capFlushInterval, keeper);
    }
}
