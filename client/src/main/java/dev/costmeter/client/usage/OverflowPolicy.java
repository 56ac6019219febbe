package dev.costmeter.client.usage;

/**
 * What {@link UsageReporter#report} does when its buffer is full, which happens when Kafka is
 * unreachable or slower than the service for longer than the buffer absorbs.
 */
public enum OverflowPolicy {
    /**
     * Refuse the new event at once, count it in {@link ReporterMetrics#dropped()} and log a
     * rate-limited warning. The default: a model call is never slowed by metering.
     */
    DROP_NEWEST,
    /**
     * Wait up to the configured block timeout for room, then drop as {@link #DROP_NEWEST} does.
     * For batch jobs that prefer slowing down to losing events.
     */
    BLOCK_WITH_TIMEOUT
}
