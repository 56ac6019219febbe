package dev.costmeter.metering.dedup;

import dev.costmeter.metering.state.TaskTotals;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where the event ids of a task's calls are remembered: inside its task totals, which are written
 * for every call anyway, so remembering an id costs no extra state write and no extra changelog
 * record. A task with more calls within the horizon than {@code idsPerTask} keeps the rest in the
 * dedup store (event_id to event time) and is marked spilled, so that only such tasks pay a
 * dedup-store lookup. State written before ids were kept in task totals is marked spilled too: its
 * ids are in the dedup store.
 *
 * <p>An id is a duplicate when it was seen with an event time within the horizon of this copy's.
 */
public final class TaskEventIds {

    private final KeyValueStore<String, Long> spilled;
    private final long horizonMs;
    private final int idsPerTask;

    public TaskEventIds(KeyValueStore<String, Long> spilled, Duration horizon, int idsPerTask) {
        this.spilled = spilled;
        this.horizonMs = horizon.toMillis();
        this.idsPerTask = idsPerTask;
    }

    /** Whether the call {@code eventId} at {@code eventTime} was already counted for {@code task} (null: a new task). */
    public boolean seen(TaskTotals task, String eventId, long eventTime) {
        if (task == null) {
            return false;
        }
        Long earlier = RecentEventIds.timeOf(task.getRecentEventIds(), eventId);
        if (earlier == null && task.getDedupSpilled()) {
            earlier = spilled.get(eventId);
        }
        return earlier != null && Math.abs(earlier - eventTime) <= horizonMs;
    }

    /**
     * Remembers a counted call in {@code task} (whose last_seen is already updated), dropping the
     * ids that fell out of the horizon; spills to the dedup store when the task holds its maximum.
     */
    public void remember(TaskTotals task, String eventId, long eventTime) {
        long cutoff = task.getLastSeen() - horizonMs;
        ByteBuffer ids = RecentEventIds.add(task.getRecentEventIds(), utf8(eventId), eventTime, cutoff, idsPerTask);
        if (ids != null) {
            if (ids != task.getRecentEventIds()) {
                task.setRecentEventIds(ids);
            }
        } else {
            spilled.put(eventId, eventTime);
            task.setDedupSpilled(true);
        }
    }

    private static byte[] utf8(String eventId) {
        return eventId.getBytes(StandardCharsets.UTF_8);
    }
}
