package dev.costmeter.metering.tasks;

import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import java.util.HashMap;

/** Constructors for task state and task_class deltas. */
final class TaskOutcomes {

    static final String SUCCESS = "SUCCESS";

    private TaskOutcomes() {
    }

    /** A task not seen before; {@code lastSeen} starts the retention clock. */
    static TaskTotals newTask(String taskId, String tenantId, String taskClass, String route, long lastSeen) {
        return TaskTotals.newBuilder()
                .setTaskId(taskId).setTenantId(tenantId).setTaskClass(taskClass).setRoute(route)
                .setCalls(0L).setRetries(0L).setFailures(0L).setResponseCacheHits(0L).setUnpricedCalls(0L)
                .setInputTokens(0L).setOutputTokens(0L).setCacheReadTokens(0L).setCacheWriteTokens(0L)
                .setCostNanos(0L).setSavingsNanos(0L).setToolCalls(0L).setModels(new HashMap<>())
                // No call yet: the first call's time replaces this through min().
                .setFirstSeen(Long.MAX_VALUE).setLastSeen(lastSeen)
                .build();
    }

    static TaskClassStats zero(String taskClass, String model, String day) {
        return TaskClassStats.newBuilder()
                .setTaskClass(taskClass).setModel(model).setDay(day)
                .setCalls(0L).setCostNanos(0L).setTasks(0L).setSuccessfulTasks(0L)
                .setSuccessfulCostNanos(0L).setWasteNanos(0L)
                .build();
    }
}
