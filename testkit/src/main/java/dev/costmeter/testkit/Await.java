package dev.costmeter.testkit;

import java.time.Duration;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Polls a condition (through Awaitility) until it holds or a deadline passes, failing as an assertion. */
final class Await {

    private static final Duration POLL = Duration.ofMillis(50);

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
        try {
            Awaitility.await().atMost(timeout).pollInterval(POLL).ignoreExceptions().until(condition::holds);
        } catch (ConditionTimeoutException e) {
            AssertionError error = new AssertionError(failure.get() + " (waited " + timeout + ")");
            error.initCause(e.getCause() != null ? e.getCause() : e);
            throw error;
        }
    }
}
