package dev.costmeter.local;

import java.time.Duration;

/**
 * How long the supervisor waits before restarting a component that exited on its own:
 * {@code initial}, doubling after every exit up to {@code max}, and back to {@code initial} once the
 * component has stayed up for {@code stableAfter}. Crashes in a row are counted so that a component
 * that keeps crashing can be reported loudly. Not thread-safe: its component's lock guards it.
 */
final class RestartBackoff {

    /** 1 s doubling to 30 s, forgiven after a minute up; loud after 5 quick exits in a row. */
    static final Duration INITIAL = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    static final Duration STABLE_AFTER = Duration.ofSeconds(60);
    static final int CRASH_LOOP_AFTER = 5;

    private final Duration initial;
    private final Duration max;
    private final Duration stableAfter;
    private final int crashLoopAfter;
    private int quickExitsInARow;

    RestartBackoff(Duration initial, Duration max, Duration stableAfter, int crashLoopAfter) {
        this.initial = initial;
        this.max = max;
        this.stableAfter = stableAfter;
        this.crashLoopAfter = crashLoopAfter;
    }

    static RestartBackoff standard() {
        return new RestartBackoff(INITIAL, MAX, STABLE_AFTER, CRASH_LOOP_AFTER);
    }

    /** Records an exit after {@code upFor} of running; returns the delay before the restart. */
    Duration delayAfterExit(Duration upFor) {
        if (upFor.compareTo(stableAfter) >= 0) {
            quickExitsInARow = 0;
        }
        Duration delay = initial;
        for (int i = 0; i < quickExitsInARow && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        quickExitsInARow++;
        return delay.compareTo(max) > 0 ? max : delay;
    }

    /** Exits in a row, each before the component had stayed up for {@code stableAfter} (the first counts too). */
    int exitsInARow() {
        return quickExitsInARow;
    }

    /** Whether the component keeps crashing: as many quick exits in a row as make it worth a loud report. */
    boolean crashLooping() {
        return quickExitsInARow >= crashLoopAfter;
    }

    Duration stableAfter() {
        return stableAfter;
    }
}
