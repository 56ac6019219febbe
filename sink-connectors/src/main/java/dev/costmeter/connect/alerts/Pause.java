package dev.costmeter.connect.alerts;

import java.time.Duration;

/** Waits; a seam so tests can record waits instead of spending them. */
@FunctionalInterface
interface Pause {

    Pause REAL = duration -> Thread.sleep(duration.toMillis(), (int) (duration.toNanosPart() % 1_000_000));

    void pause(Duration duration) throws InterruptedException;
}
