package dev.costmeter.testkit;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition until it holds or a deadline passes. */
final class Await {

    private static final long PAUSE_MILLIS = 50;

    @FunctionalInterface
    interface Condition {
        boolean holds() throws Exception;
    }

    private Await() {
    }

    /**
     * Returns once {@code condition} holds; throws {@link AssertionError} with {@code failure}'s
     * message when it still does not after {@code timeout}. An exception from the condition counts
     * as "not yet" and is attached to the failure.
     */
    static void until(Duration timeout, Condition condition, Supplier<String> failure) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (condition.holds()) {
                    return;
                }
                last = null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting: " + failure.get(), e);
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                AssertionError error = new AssertionError(failure.get() + " (waited " + timeout + ")");
                if (last != null) {
                    error.initCause(last);
                }
                throw error;
            }
            try {
                Thread.sleep(PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting: " + failure.get(), e);
            }
        }
    }
}
