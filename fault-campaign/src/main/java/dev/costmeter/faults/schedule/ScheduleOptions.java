package dev.costmeter.faults.schedule;

import java.time.Duration;

/**
 * What a schedule is built from besides the seed.
 *
 * @param brokers       brokers of the cluster (each is killed at least once when the count allows)
 * @param warmUp        load before the first fault
 * @param recovery      least time between the end of one fault and the next
 * @param zombiePause   how long an instance stays stopped: past its session timeout
 * @param tail          load after the last fault
 */
public record ScheduleOptions(int brokers, Duration warmUp, Duration recovery, Duration zombiePause, Duration tail) {

    /** Three brokers, 30 s of warm-up, 30 s to recover, a 25 s pause (metering's session timeout is 10 s), 30 s tail. */
    public static ScheduleOptions defaults() {
        return new ScheduleOptions(3, Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(25),
                Duration.ofSeconds(30));
    }

    public ScheduleOptions withZombiePause(Duration pause) {
        return new ScheduleOptions(brokers, warmUp, recovery, pause, tail);
    }

    public ScheduleOptions withRecovery(Duration newRecovery) {
        return new ScheduleOptions(brokers, warmUp, newRecovery, zombiePause, tail);
    }
}
