package dev.costmeter.gateway.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Requests per second per caller (token bucket: {@code perSecond} refilled continuously, bursts up
 * to {@code burst}). A caller over its rate is answered 429 with Retry-After; nothing is queued.
 */
final class RateLimiter {

    private final double perSecond;
    private final double burst;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long lastNanos;

        Bucket(double tokens, long lastNanos) {
            this.tokens = tokens;
            this.lastNanos = lastNanos;
        }
    }

    RateLimiter(double perSecond, double burst, LongSupplier nanoTime) {
        this.perSecond = perSecond;
        this.burst = burst;
        this.nanoTime = nanoTime;
    }

    /** Whether {@code caller} may make one more request now. */
    boolean tryAcquire(String caller) {
        long now = nanoTime.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(caller, k -> new Bucket(burst, now));
        synchronized (bucket) {
            bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.lastNanos) / 1e9 * perSecond);
            bucket.lastNanos = now;
            if (bucket.tokens >= 1) {
                bucket.tokens -= 1;
                return true;
            }
            return false;
        }
    }
}
