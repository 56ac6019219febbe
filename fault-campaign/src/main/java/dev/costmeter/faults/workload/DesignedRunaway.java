package dev.costmeter.faults.workload;

/**
 * A task designed to loop: it calls {@code toolName} with the same arguments {@code repeats} times.
 * With {@code repeats = 2K - 1} exactly one of the two sides of any single restart of alerting
 * (which keeps per-task counters without a changelog by default) still sees K repeats, so the task
 * is caught once.
 */
public record DesignedRunaway(String taskId, String tenant, String toolName, String toolArgsHash, int repeats) {
}
