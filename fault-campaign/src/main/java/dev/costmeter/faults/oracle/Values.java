package dev.costmeter.faults.oracle;

import java.util.Map;

/** The values the oracle expects per key, in the shapes the stores answer with. */
public final class Values {

    private Values() {
    }

    /** One task's totals, as {@code GET /v1/tasks/{id}} answers them. */
    public record Task(long calls, long retries, long failures, long responseCacheHits, long unpricedCalls,
            long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long costNanos,
            long savingsNanos, long toolCalls, Map<String, ModelUse> models, String outcome) {
    }

    /** A task's calls and spend on one model. */
    public record ModelUse(long calls, long costNanos) {
    }

    /** One row of metering's task_class table, as {@code GET /v1/task-classes/{tc}/models} sums it. */
    public record TaskClassStats(long calls, long costNanos, long tasks, long successfulTasks, long successfulCostNanos,
            long wasteNanos) {
    }

    /** Calls and spend: a {@code daily_spend} row. */
    public record CallsAndCost(long calls, long costNanos) {
    }

    /** A {@code task_spend} row. */
    public record TaskSpend(long calls, long costNanos, String outcome) {
    }

    /** A {@code cost_per_successful_task} row. */
    public record SuccessCost(long tasks, long successfulTasks, long costNanos, long wasteNanos, Long costPerSuccessNanos) {
    }
}
