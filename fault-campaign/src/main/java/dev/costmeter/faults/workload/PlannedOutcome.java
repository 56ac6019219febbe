package dev.costmeter.faults.workload;

import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.TaskOutcome;
import java.time.Instant;

/** How a task of the workload ends, sent on the task-outcomes topic after its last call. */
public record PlannedOutcome(long offsetMs, String taskId, String tenant, String taskClass, String route, Outcome outcome,
        boolean humanCorrected) {

    public Instant eventTime(Instant runStart) {
        return runStart.plusMillis(offsetMs);
    }

    public TaskOutcome toRecord(Instant runStart) {
        return TaskOutcome.newBuilder().setTaskId(taskId).setTenantId(tenant).setTaskClass(taskClass).setRoute(route)
                .setOutcome(outcome).setEventTime(eventTime(runStart)).setHumanCorrected(humanCorrected).build();
    }
}
