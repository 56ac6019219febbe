package dev.costmeter.cli.whatif;

import dev.costmeter.contracts.Outcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How often tasks succeeded, per task_class and model, over every ledgered call of the period
 * (whatever the tenant and route): a task counts for each model it called, as in metering's
 * task-class table, once it has an outcome; it succeeded when its outcome is SUCCESS. Tasks without
 * an outcome are not observed.
 */
final class SuccessObservations {

    /** {@code successes} of {@code tasks} tasks with an outcome. */
    record Observed(long successes, long tasks) {
        Ratio rate() {
            return Ratio.of(successes, tasks);
        }
    }

    private final Map<String, Set<String>> tasksByClassAndModel = new HashMap<>();

    /** Notes that {@code taskId}, of {@code taskClass}, called {@code modelKey} ({@code provider/model}). */
    void add(String taskClass, String modelKey, String taskId) {
        tasksByClassAndModel.computeIfAbsent(taskClass + "|" + modelKey, k -> new HashSet<>()).add(taskId);
    }

    /** The observed success of {@code modelKey} on {@code taskClass}; empty when no task of it has an outcome. */
    Optional<Observed> of(String taskClass, String modelKey, Map<String, Outcome> outcomes) {
        long tasks = 0;
        long successes = 0;
        for (String taskId : tasksByClassAndModel.getOrDefault(taskClass + "|" + modelKey, Set.of())) {
            Outcome outcome = outcomes.get(taskId);
            if (outcome != null) {
                tasks++;
                if (outcome == Outcome.SUCCESS) {
                    successes++;
                }
            }
        }
        return tasks == 0 ? Optional.empty() : Optional.of(new Observed(successes, tasks));
    }
}
