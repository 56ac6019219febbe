package dev.costmeter.runtime.lifecycle;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/** Polls a condition until it holds or a deadline passes; tests never sleep a fixed time. */
final class Poll {

    private Poll() {
    }

    static void until(Duration timeout, BooleanSupplier condition, String what) {
        Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
    }
}
