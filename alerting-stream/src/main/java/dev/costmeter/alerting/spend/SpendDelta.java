package dev.costmeter.alerting.spend;

import java.util.HashMap;
import java.util.Map;

/**
 * Spend of one capped scope in one UTC hour, summed on the partition that priced the calls until
 * it is sent on: what the spend buffer keeps (and logs, so a crash loses nothing it counted).
 *
 * @param scope        the capped scope, e.g. {@code tenant:acme}
 * @param hourStartMs  the UTC hour the calls' event times fall in
 * @param costNanos    their spend
 * @param calls        how many calls
 * @param lastEventMs  the latest event time among them
 * @param contributors spend per task among them, for the alert's top contributors
 */
public record SpendDelta(String scope, long hourStartMs, long costNanos, long calls, long lastEventMs,
        Map<String, Long> contributors) {

    public SpendDelta {
        contributors = new HashMap<>(contributors == null ? Map.of() : contributors);
    }

    /** At most this many tasks are named per delta; the rest still count in the spend. */
    static final int MAX_CONTRIBUTORS = 16;

    SpendDelta plus(long cost, long eventMs, String taskId) {
        Map<String, Long> tasks = contributors;
        if (tasks.containsKey(taskId) || tasks.size() < MAX_CONTRIBUTORS) {
            tasks.merge(taskId, cost, Long::sum);
        }
        return new SpendDelta(scope, hourStartMs, Math.addExact(costNanos, cost), calls + 1,
                Math.max(lastEventMs, eventMs), tasks);
    }
}
