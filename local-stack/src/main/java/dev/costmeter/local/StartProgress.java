package dev.costmeter.local;

import java.io.PrintStream;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Told as each part of the local stack comes up, from the thread that started it (parts start in
 * parallel). The launcher prints one line each; tests and the fault campaign log them.
 */
@FunctionalInterface
public interface StartProgress {

    /**
     * @param part       a component's name ({@code kafka}, {@code metering-stream-2}, ...) or a step ({@code topics})
     * @param where      its address, or what the step did
     * @param sinceStart time since the stack began to start
     */
    void up(String part, String where, Duration sinceStart);

    /** Where the on-call inbox prints each page it receives: the console, unless a screen of its own shows alerts. */
    default PrintStream pages() {
        return System.out;
    }

    /** Logs each part at INFO. */
    static StartProgress logged() {
        Logger log = LoggerFactory.getLogger(LocalStack.class);
        return (part, where, since) -> log.info("{} up: {} ({} ms after start)", part, where, since.toMillis());
    }
}
