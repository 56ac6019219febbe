package dev.costmeter.runtime.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an app's {@link StartPrecondition}s in order, retrying one that fails with a back-off from
 * {@link #FIRST_PAUSE} doubling to {@link #MAX_PAUSE}, until all hold or the app closes. Reports
 * which one it waits for (null once all hold), and logs a failure when it first happens and then
 * when its message changes, not on every retry.
 */
final class StartGate {

    static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private static final Logger log = LoggerFactory.getLogger(StartGate.class);

    private final Map<String, StartPrecondition> preconditions;
    private final BooleanSupplier closing;
    private final Consumer<String> waitingFor;

    StartGate(Map<String, StartPrecondition> preconditions, BooleanSupplier closing, Consumer<String> waitingFor) {
        this.preconditions = preconditions;
        this.closing = closing;
        this.waitingFor = waitingFor;
    }

    /** One pass without waiting: true when every precondition holds now (and reports none pending). */
    static boolean checkOnce(Map<String, StartPrecondition> preconditions, Consumer<String> waitingFor) {
        for (Map.Entry<String, StartPrecondition> p : preconditions.entrySet()) {
            try {
                p.getValue().check();
            } catch (Exception e) {
                waitingFor.accept(p.getKey() + " (" + e.getMessage() + ")");
                log.warn("Not starting yet: waiting for {}: {}", p.getKey(), e.toString());
                return false;
            }
        }
        waitingFor.accept(null);
        return true;
    }

    /** Blocks until every precondition holds (true) or the app closes (false). */
    boolean await() {
        for (Map.Entry<String, StartPrecondition> p : preconditions.entrySet()) {
            Duration pause = FIRST_PAUSE;
            String lastMessage = null;
            while (true) {
                if (closing.getAsBoolean()) {
                    return false;
                }
                try {
                    p.getValue().check();
                    break;
                } catch (Exception e) {
                    String message = e.toString();
                    waitingFor.accept(p.getKey() + " (" + e.getMessage() + ")");
                    if (!message.equals(lastMessage)) {
                        log.warn("Not starting yet: waiting for {}: {}", p.getKey(), message);
                        lastMessage = message;
                    }
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
            }
            log.info("Start precondition holds: {}", p.getKey());
        }
        waitingFor.accept(null);
        return !closing.getAsBoolean();
    }
}
