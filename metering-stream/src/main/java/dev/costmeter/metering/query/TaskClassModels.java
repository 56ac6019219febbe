package dev.costmeter.metering.query;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-model economics of one task class over a range of days, as exact sums: finished tasks
 * (from the task-class store, on the day of their outcome) and tasks without an outcome yet (from
 * the task totals, on the day of their first call). Instances each hold a part (the task-class
 * store is partitioned by task class, task totals by task id); parts add up, and the ratios are
 * computed once from the total ({@link Ratios}: half-up).
 */
final class TaskClassModels {

    private static final String[] FIELDS = {"calls", "cost_nanos", "tasks", "successful_tasks", "successful_cost_nanos",
        "waste_nanos", "open_tasks", "open_calls", "open_cost_nanos"};
    private static final int CALLS = 0;
    private static final int COST = 1;
    private static final int TASKS = 2;
    private static final int SUCCESSFUL = 3;
    private static final int SUCCESSFUL_COST = 4;
    private static final int WASTE = 5;
    private static final int OPEN_TASKS = 6;
    private static final int OPEN_CALLS = 7;
    private static final int OPEN_COST = 8;

    private final Map<String, long[]> byModel = new TreeMap<>();

    /** Adds the economics of finished tasks of {@code model}. */
    void addFinished(String model, long calls, long cost, long tasks, long successful, long successfulCost, long waste) {
        long[] sum = sums(model);
        add(sum, CALLS, calls);
        add(sum, COST, cost);
        add(sum, TASKS, tasks);
        add(sum, SUCCESSFUL, successful);
        add(sum, SUCCESSFUL_COST, successfulCost);
        add(sum, WASTE, waste);
    }

    /** Adds one task without an outcome: its calls and spend on {@code model}. */
    void addOpen(String model, long calls, long cost) {
        long[] sum = sums(model);
        add(sum, CALLS, calls);
        add(sum, COST, cost);
        add(sum, OPEN_TASKS, 1);
        add(sum, OPEN_CALLS, calls);
        add(sum, OPEN_COST, cost);
    }

    /** Adds another instance's part, as its {@link #json} answered it. */
    void addPart(JsonNode answer) {
        for (JsonNode row : answer.path("models")) {
            long[] sum = sums(row.path("model").asText());
            for (int i = 0; i < FIELDS.length; i++) {
                add(sum, i, row.path(FIELDS[i]).asLong(0));
            }
        }
    }

    /**
     * The answer: per model the sums, and cost per call (all calls), success rate (of finished
     * tasks) and cost per successful task (the spend of finished tasks, failures included, per
     * success), each rounded half-up, null where the divisor is 0.
     */
    Map<String, Object> json(String taskClass, LocalDate from, LocalDate to) {
        List<Map<String, Object>> models = new ArrayList<>();
        byModel.forEach((model, s) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", model);
            row.put("calls", s[CALLS]);
            row.put("cost_nanos", s[COST]);
            row.put("cost_per_call_nanos", Ratios.halfUp(s[COST], s[CALLS]));
            row.put("tasks", s[TASKS]);
            row.put("successful_tasks", s[SUCCESSFUL]);
            row.put("success_rate_bps", Ratios.basisPoints(s[SUCCESSFUL], s[TASKS]));
            // All spend of the finished tasks of the kind of work, failures included, per success: what a success costs.
            row.put("cost_per_successful_task_nanos", Ratios.halfUp(Math.subtractExact(s[COST], s[OPEN_COST]), s[SUCCESSFUL]));
            row.put("successful_cost_nanos", s[SUCCESSFUL_COST]);
            row.put("waste_nanos", s[WASTE]);
            row.put("open_tasks", s[OPEN_TASKS]);
            row.put("open_calls", s[OPEN_CALLS]);
            row.put("open_cost_nanos", s[OPEN_COST]);
            models.add(row);
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("task_class", taskClass);
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("models", models);
        return json;
    }

    private long[] sums(String model) {
        return byModel.computeIfAbsent(model, m -> new long[FIELDS.length]);
    }

    private static void add(long[] sum, int field, long value) {
        sum[field] = Math.addExact(sum[field], value);
    }
}
