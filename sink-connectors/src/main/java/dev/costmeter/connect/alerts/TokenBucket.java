package dev.costmeter.connect.alerts;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket: {@code burst} tokens at most, refilled at {@code ratePerMinute}. Each delivery
 * takes one token; when none is left, {@link #reserve()} says how long to wait for the next one.
 * Not thread-safe: each task owns its buckets.
 */
final class TokenBucket {

    private static final long NANOS_PER_MINUTE = Duration.ofMinutes(1).toNanos();

    private final long capacityMicroTokens;
    private final long ratePerMinute;
    private final LongSupplier nanoClock;
    // Micro-tokens keep the refill exact with integer arithmetic at any rate.
    private long microTokens;
    private long lastRefillNanos;

    TokenBucket(int ratePerMinute, int burst, LongSupplier nanoClock) {
        this.capacityMicroTokens = burst * 1_000_000L;
        this.ratePerMinute = ratePerMinute;
        this.nanoClock = nanoClock;
        this.microTokens = capacityMicroTokens;
        this.lastRefillNanos = nanoClock.getAsLong();
    }

    /**
     * Takes a token now and returns {@link Duration#ZERO}, or, when the bucket is empty, returns
     * how long until one will be there (taking nothing; call again after waiting).
     */
    Duration reserve() {
        refill();
        if (microTokens >= 1_000_000L) {
            microTokens -= 1_000_000L;
            return Duration.ZERO;
        }
        long missing = 1_000_000L - microTokens;
        // ceil(missing micro-tokens / (rate micro-tokens per minute)) in nanoseconds.
        long nanos = -Math.floorDiv(-missing * (NANOS_PER_MINUTE / 1_000_000L), ratePerMinute);
        return Duration.ofNanos(Math.max(nanos, 1));
    }

    private void refill() {
        long now = nanoClock.getAsLong();
        long elapsed = now - lastRefillNanos;
        if (elapsed <= 0) {
            return;
        }
        // micro-tokens gained = elapsed * rate / 60 s (in micro-tokens per nano: rate / 60_000).
        long gained = elapsed / 60_000L * ratePerMinute;
        if (gained > 0) {
            microTokens = Math.min(capacityMicroTokens, microTokens + gained);
            lastRefillNanos = now - elapsed % 60_000L;
        }
    }
}
