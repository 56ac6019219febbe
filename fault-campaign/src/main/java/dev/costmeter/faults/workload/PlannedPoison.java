package dev.costmeter.faults.workload;

/**
 * One bad record of the workload. Its bytes are made when the run starts ({@code PoisonRecords}),
 * each unique, so that the DLQ can be matched record by record.
 *
 * @param seed for the kinds with random content
 */
public record PlannedPoison(int index, long offsetMs, PoisonKind kind, String eventId, String taskId, String tenant,
        long seed) {

    /** The record key: the task id, except for the poison whose fault is its key. */
    public String key() {
        return kind == PoisonKind.KEY_MISMATCH ? "not-" + taskId : taskId;
    }
}
