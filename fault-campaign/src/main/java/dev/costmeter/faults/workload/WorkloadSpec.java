package dev.costmeter.faults.workload;

import java.util.EnumSet;
import java.util.Set;

/**
 * What to generate. The same spec gives the same plan.
 *
 * @param calls                 first sends of calls (retries included, re-sends not)
 * @param durationMs            the plan's length: calls are spread over it
 * @param longTasks             tasks of {@code longTaskMinCalls}..{@code longTaskMaxCalls} calls, so that
 *                              deduplication beyond the ids kept with a task (64) is exercised
 * @param runawayTasks          tasks that repeat one tool call {@code 2 × loopLimit - 1} times
 * @param loopLimit             alerting-stream's {@code loop.repeat.limit} (K)
 * @param maxTaskCallsPerMinute the most calls of one task in a minute of event time, 0 for no limit;
 *                              below alerting-stream's {@code rate.calls.per.minute} so that the
 *                              call-rate rule does not fire by accident
 * @param duplicateShare        re-sends of acknowledged calls, as a share of calls
 * @param poisonPerKind         bad records of each kind in {@code poisonKinds}
 */
public record WorkloadSpec(long seed, int calls, long durationMs, int longTasks, int longTaskMinCalls, int longTaskMaxCalls,
        int runawayTasks, int loopLimit, int maxTaskCallsPerMinute, double duplicateShare, double lateShare,
        double failureShare, int poisonPerKind, Set<PoisonKind> poisonKinds) {

    public WorkloadSpec {
        poisonKinds = poisonKinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(poisonKinds));
        if (calls < 1 || durationMs < 1_000) {
            throw new IllegalArgumentException("a workload has at least one call and lasts at least a second");
        }
        if (longTaskMinCalls > longTaskMaxCalls || loopLimit < 2) {
            throw new IllegalArgumentException("long task sizes must be ordered and the loop limit at least 2");
        }
    }

    /** The campaign's defaults for {@code calls} spread over {@code durationMs}, every poison kind included. */
    public static WorkloadSpec campaign(long seed, int calls, long durationMs, int loopLimit, int callsPerMinuteLimit) {
        return new WorkloadSpec(seed, calls, durationMs, Math.max(3, calls / 25_000), 150, 400, 3, loopLimit,
                callsPerMinuteLimit * 2 / 3, 0.05, 0.02, 0.04, 20, EnumSet.allOf(PoisonKind.class));
    }

    public WorkloadSpec withPoison(int perKind, Set<PoisonKind> kinds) {
        return new WorkloadSpec(seed, calls, durationMs, longTasks, longTaskMinCalls, longTaskMaxCalls, runawayTasks,
                loopLimit, maxTaskCallsPerMinute, duplicateShare, lateShare, failureShare, perKind, kinds);
    }

    public WorkloadSpec withLongTasks(int count, int minCalls, int maxCalls) {
        return new WorkloadSpec(seed, calls, durationMs, count, minCalls, maxCalls, runawayTasks, loopLimit,
                maxTaskCallsPerMinute, duplicateShare, lateShare, failureShare, poisonPerKind, poisonKinds);
    }

    public WorkloadSpec withCallRateLimit(int maxPerMinute) {
        return new WorkloadSpec(seed, calls, durationMs, longTasks, longTaskMinCalls, longTaskMaxCalls, runawayTasks,
                loopLimit, maxPerMinute, duplicateShare, lateShare, failureShare, poisonPerKind, poisonKinds);
    }
}
