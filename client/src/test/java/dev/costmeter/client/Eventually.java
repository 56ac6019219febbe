package dev.costmeter.client;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes; tests never sleep a fixed time. */
public final class Eventually {

    private Eventually() {
    }

    public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError(failure.get() + " (waited " + timeout + ")");
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }
}
