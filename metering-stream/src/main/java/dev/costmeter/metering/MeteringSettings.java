package dev.costmeter.metering;

import dev.costmeter.schemas.topics.TopicNames;
import java.time.Duration;

/**
 * What the metering topology needs to know, already parsed and checked. Built from the app's
 * configuration by {@link MeteringApp}; tests build it directly.
 *
 * @param topics               topic names
 * @param appName              name put in dead-letter headers
 * @param dedupHorizon         how long an event_id is remembered (default 24 h)
 * @param dedupIdsPerTask      how many of a task's event ids are kept with its totals; a task's further
 *                             ids within the horizon go to the dedup store (default 64)
 * @param maxTokensPerCall     a token count above this is absurd (default 10,000,000)
 * @param maxFutureSkew        how far ahead of the wall clock an event time may be (default 5 min)
 * @param grace                how late an event may be and still count in its rollup window (default 5 min)
 * @param rollupFlushInterval  how often pre-aggregated deltas are sent on (wall clock, default 1 s)
 * @param maxBufferedKeys      deltas are also sent on when this many keys are buffered (default 10,000)
 * @param minuteRetention      how long minute windows are kept (default 2 days)
 * @param hourRetention        how long hour windows are kept (default 35 days)
 * @param dayRetention         how long day windows are kept (default 400 days)
 * @param taskCacheEntries     task totals kept as objects per partition, and changed ones written back
 *                             once this many are pending (default 30,000; about 1-2 KB each)
 * @param taskRetention        a task not seen for this long is forgotten (default 7 days); at least
 *                             the dedup horizon, since a task's event ids are forgotten with it
 */
public record MeteringSettings(
        TopicNames topics,
        String appName,
        Duration dedupHorizon,
        int dedupIdsPerTask,
        long maxTokensPerCall,
        Duration maxFutureSkew,
        Duration grace,
        Duration rollupFlushInterval,
        int maxBufferedKeys,
        Duration minuteRetention,
        Duration hourRetention,
        Duration dayRetention,
        int taskCacheEntries,
        Duration taskRetention) {

    public MeteringSettings {
        if (taskCacheEntries < 1) {
            throw new IllegalArgumentException("task.cache.entries must be at least 1, not " + taskCacheEntries);
        }
        if (dedupIdsPerTask < 0) {
            throw new IllegalArgumentException("dedup.ids.per.task must be 0 or more, not " + dedupIdsPerTask);
        }
        if (taskRetention.compareTo(dedupHorizon) < 0) {
            throw new IllegalArgumentException("task.retention (" + taskRetention + ") must be at least dedup.horizon ("
                    + dedupHorizon + "): a task's recent event ids are forgotten with the task");
        }
    }

    /** The defaults listed above, with the default topic names. */
    public static MeteringSettings defaults() {
        return new MeteringSettings(TopicNames.defaults(), "metering-stream", Duration.ofHours(24), 64, 10_000_000L,
                Duration.ofMinutes(5), Duration.ofMinutes(5), Duration.ofSeconds(1), 10_000, Duration.ofDays(2),
                Duration.ofDays(35), Duration.ofDays(400), 30_000, Duration.ofDays(7));
    }

    public MeteringSettings withGrace(Duration newGrace) {
        return new MeteringSettings(topics, appName, dedupHorizon, dedupIdsPerTask, maxTokensPerCall, maxFutureSkew, newGrace,
                rollupFlushInterval, maxBufferedKeys, minuteRetention, hourRetention, dayRetention, taskCacheEntries, taskRetention);
    }

    public MeteringSettings withDedup(Duration newHorizon, int newIdsPerTask) {
        return new MeteringSettings(topics, appName, newHorizon, newIdsPerTask, maxTokensPerCall, maxFutureSkew, grace,
                rollupFlushInterval, maxBufferedKeys, minuteRetention, hourRetention, dayRetention, taskCacheEntries, taskRetention);
    }
}
