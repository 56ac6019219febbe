package dev.costmeter.connect.alerts;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerMinute}. Each delivery
 * takes one token; when none is left, {@link #reserve()} says how long to wait for the next one.
 * Not thread-safe: each task owns its buckets.
 */
final class TokenBucket {

    // One token is NANOS_PER_MINUTE units, so a nanosecond refills exactly ratePerMinute units:
    // integer arithmetic with no rounding at any rate.
    private static final long UNITS_PER_TOKEN = Duration.ofMinutes(1).toNanos();

    private final long capacity;
    private final long ratePerMinute;
    private final LongSupplier nanoClock;
    private long units;
    private long lastRefillNanos;

    TokenBucket(int ratePerMinute, int burst, LongSupplier nanoClock) {
        this.capacity = burst * UNITS_PER_TOKEN;
        this.ratePerMinute = ratePerMinute;
        this.nanoClock = nanoClock;
        this.units = capacity;
        this.lastRefillNanos = nanoClock.getAsLong();
    }

    /**
     * Takes a token now and returns {@link Duration#ZERO}, or, when the bucket is empty, returns
     * how long until one will be there (taking nothing; call again after waiting).
     */
    Duration reserve() {
        refill();
        if (units >= UNITS_PER_TOKEN) {
            units -= UNITS_PER_TOKEN;
            return Duration.ZERO;
        }
        long missing = UNITS_PER_TOKEN - units;
        return Duration.ofNanos((missing + ratePerMinute - 1) / ratePerMinute);
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefillNanos;
        lastRefillNanos = now;
        if (elapsed <= 0) {
            return;
        }
        // Past the time to fill the bucket from empty, more elapsed time changes nothing (and
        // capping it keeps the product below overflow).
        long fillNanos = capacity / ratePerMinute + 1;
        units = Math.min(capacity, units + Math.min(elapsed, fillNanos) * ratePerMinute);
    }
}
