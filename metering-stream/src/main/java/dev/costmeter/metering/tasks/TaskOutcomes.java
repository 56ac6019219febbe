package dev.costmeter.metering.tasks;

import dev.costmeter.metering.dedup.RecentEventIds;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import java.nio.ByteBuffer;
import java.util.HashMap;

/** Constructors for task state and task_class deltas. */
final class TaskOutcomes {

    static final String SUCCESS = "SUCCESS";

    private TaskOutcomes() {
    }

    /**
     * A task not seen before; {@code lastSeen} starts the retention clock. Its tenant, task class and
     * route are the shared copies from {@code names}. Set field by field: the generated builder
     * copies and validates every field, for each new task.
     */
    static TaskTotals newTask(Names names, String taskId, String tenantId, String taskClass, String route, long lastSeen) {
        TaskTotals task = new TaskTotals();
        task.setTaskId(taskId);
        task.setTenantId(names.of(tenantId));
        task.setTaskClass(names.of(taskClass));
        task.setRoute(names.of(route));
        // Counts and sums are primitive fields of the generated class: they start at zero, as do the
        // flags at false and the outcome at null.
        task.setModels(new HashMap<>());
        // No call yet: the first call's time replaces this through min().
        task.setFirstSeen(Long.MAX_VALUE);
        task.setLastSeen(lastSeen);
        task.setRecentEventIds(ByteBuffer.wrap(RecentEventIds.EMPTY));
        return task;
    }

    static TaskClassStats zero(String taskClass, String model, String day) {
        return TaskClassStats.newBuilder()
                .setTaskClass(taskClass).setModel(model).setDay(day)
                .setCalls(0L).setCostNanos(0L).setTasks(0L).setSuccessfulTasks(0L)
                .setSuccessfulCostNanos(0L).setWasteNanos(0L)
                .build();
    }
}
