package dev.costmeter.client.usage;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The reporter's counters, and its rate-limited warning about dropped events. */
final class ReporterCounters implements ReporterMetrics {

    private static final Logger LOG = LoggerFactory.getLogger(UsageReporter.class);
    private static final long LOG_INTERVAL_NANOS = 10_000_000_000L;

    private final BlockingQueue<?> buffer;
    private final LongAdder queued = new LongAdder();
    private final LongAdder sent = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder sendErrors = new LongAdder();
    private final AtomicLong nextDropLogNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong nextErrorLogNanos = new AtomicLong(Long.MIN_VALUE);
    private long droppedAtLastLog;

    ReporterCounters(BlockingQueue<?> buffer) {
        this.buffer = buffer;
    }

    void onQueued() {
        queued.increment();
    }

    void onSent() {
        sent.increment();
    }

    /** Counts a dropped event; one warning per interval at most, so a full buffer cannot flood the log. */
    void onDropped(String why) {
        dropped.increment();
        long now = System.nanoTime();
        long next = nextDropLogNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextDropLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            long total = dropped.sum();
            long since = total - droppedAtLastLog;
            droppedAtLastLog = total;
            LOG.warn("Dropped {} usage event(s) since the last warning ({} in all): {}", since, total, why);
        }
    }

    void onSendError(Exception error) {
        sendErrors.increment();
        long now = System.nanoTime();
        long next = nextErrorLogNanos.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextErrorLogNanos.compareAndSet(next, now + LOG_INTERVAL_NANOS)) {
            LOG.warn("Failed to send a usage event ({} failures in all): {}", sendErrors.sum(), error.toString());
        }
    }

    @Override
    public long queued() {
        return queued.sum();
    }

    @Override
    public int buffered() {
        return buffer.size();
    }

    @Override
    public long sent() {
        return sent.sum();
    }

    @Override
    public long dropped() {
        return dropped.sum();
    }

    @Override
    public long sendErrors() {
        return sendErrors.sum();
    }

    @Override
    public String toString() {
        return "queued=" + queued() + " buffered=" + buffered() + " sent=" + sent() + " dropped=" + dropped()
                + " sendErrors=" + sendErrors();
    }
}
