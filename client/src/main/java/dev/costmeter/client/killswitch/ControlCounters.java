package dev.costmeter.client.killswitch;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** The client's counters; written by the consumer thread, read by any. */
final class ControlCounters implements ControlMetrics {

    private final Clock clock;
    private final SwitchTable table;
    private final LongAdder applied = new LongAdder();
    private final LongAdder cleaned = new LongAdder();
    private final AtomicLongArray rejected = new AtomicLongArray(Rejection.values().length);
    private volatile long lag = -1;
    private volatile long lastUpdateMs = -1;
    private volatile boolean caughtUp;

    ControlCounters(Clock clock, SwitchTable table) {
        this.clock = clock;
        this.table = table;
    }

    void onApplied() {
        applied.increment();
        lastUpdateMs = clock.millis();
    }

    void onCleaned() {
        cleaned.increment();
    }

    void onRejected(Rejection reason) {
        rejected.incrementAndGet(reason.ordinal());
    }

    void onLag(long lag) {
        this.lag = lag;
    }

    void onCaughtUp() {
        this.caughtUp = true;
    }

    @Override
    public boolean caughtUp() {
        return caughtUp;
    }

    @Override
    public long lag() {
        return lag;
    }

    @Override
    public Optional<Duration> lastUpdateAge() {
        long last = lastUpdateMs;
        return last < 0 ? Optional.empty() : Optional.of(Duration.ofMillis(Math.max(0, clock.millis() - last)));
    }

    @Override
    public long applied() {
        return applied.sum();
    }

    @Override
    public long cleaned() {
        return cleaned.sum();
    }

    @Override
    public Map<Rejection, Long> rejected() {
        Map<Rejection, Long> counts = new EnumMap<>(Rejection.class);
        for (Rejection reason : Rejection.values()) {
            counts.put(reason, rejected.get(reason.ordinal()));
        }
        return counts;
    }

    @Override
    public long rejected(Rejection reason) {
        return rejected.get(reason.ordinal());
    }

    @Override
    public int activeSwitches() {
        return table.active();
    }

    @Override
    public String toString() {
        return "caughtUp=" + caughtUp + " lag=" + lag + " applied=" + applied() + " cleaned=" + cleaned()
                + " rejected=" + rejected() + " active=" + activeSwitches();
    }
}
