package dev.costmeter.connect.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a sink waits before its next retry: {@code initial} before the first, doubling with each
 * further retry, never more than {@code max}. Both sinks use it: the alert sink between webhook
 * attempts, the ledger sink between redeliveries of a batch after a transient database error.
 *
 * @param initial wait before the first retry
 * @param max     longest wait between two retries
 */
public record ExponentialBackoff(Duration initial, Duration max) {

    public ExponentialBackoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("Backoff needs 0 <= initial <= max, got " + initial + " and " + max);
        }
    }

    /** The wait before retry number {@code retry + 1}: {@code initial × 2^retry}, at most {@code max}. */
    public Duration after(int retry) {
        Duration wait = initial;
        for (int i = 0; i < retry && wait.compareTo(max) < 0 && !wait.isZero(); i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) <= 0 ? wait : max;
    }

    /** How long {@code retries} retries wait in all: how long an outage the retries ride out. */
    public Duration total(int retries) {
        Duration sum = Duration.ZERO;
        for (int i = 0; i < retries; i++) {
            sum = sum.plus(after(i));
        }
        return sum;
    }
}
