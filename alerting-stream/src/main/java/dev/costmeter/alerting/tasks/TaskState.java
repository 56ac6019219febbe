package dev.costmeter.alerting.tasks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the per-task rules remember about one task.
 *
 * @param tenantId    the task's tenant
 * @param taskClass   the task's class (selects its ceiling)
 * @param firstSeenMs wall-clock time of its first call: the start of the task's "period"
 * @param lastSeenMs  wall-clock time of its last call
 * @param calls       calls so far
 * @param retries     calls with attempt above 1
 * @param tokens      tokens of all kinds
 * @param repeats     how often each tool call ({@code tool:<name>#<args hash>}) and prompt hash
 *                    ({@code prompt:<hash>}) was seen
 * @param recent      event times of the calls in the last minute, oldest first, at most N+1
 * @param costNanos   spend of its calls, priced as metering prices them (the task spend ceiling)
 * @param recentIds   event ids of its latest calls, oldest first, at most {@link #RECENT_IDS}: a
 *                    re-sent event is counted once (producer retries re-send within seconds)
 */
public record TaskState(String tenantId, String taskClass, long firstSeenMs, long lastSeenMs, long calls,
        long retries, long tokens, Map<String, Integer> repeats, List<Long> recent, long costNanos,
        List<String> recentIds) {

    /** Event ids remembered per task for deduplication. */
    static final int RECENT_IDS = 64;

    /** Distinct repeat keys remembered per task; a task beyond this is not looping on one call. */
    static final int MAX_REPEAT_KEYS = 512;

    public TaskState {
        repeats = new HashMap<>(repeats == null ? Map.of() : repeats);
        recent = new ArrayList<>(recent == null ? List.of() : recent);
        recentIds = new ArrayList<>(recentIds == null ? List.of() : recentIds);
    }

    static TaskState first(String tenantId, String taskClass, long nowMs) {
        return new TaskState(tenantId, taskClass, nowMs, nowMs, 0, 0, 0, Map.of(), List.of(), 0, List.of());
    }

    /** Whether {@code eventId} is one of the task's latest calls. */
    boolean seen(String eventId) {
        return recentIds.contains(eventId);
    }
}
