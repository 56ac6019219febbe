package dev.costmeter.faults.campaign;

import java.time.Instant;

/**
 * The circumstances of one campaign run, for its report.
 *
 * @param notSettled  null when the pipeline settled before the check; else what was still moving
 * @param loadAtStart the machine's one-minute load average when the workload started
 * @param loadAtEnd   the same when the checker started
 */
public record RunFacts(long seed, int calls, int faults, long ratePerSecond, Instant runStart, long workloadMs,
        long settleMs, String notSettled, double loadAtStart, double loadAtEnd, int cores, String cluster) {
}
