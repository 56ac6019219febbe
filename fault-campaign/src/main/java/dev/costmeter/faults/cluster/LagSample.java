package dev.costmeter.faults.cluster;

import java.util.Map;

/**
 * metering's committed offsets on the usage topic and the topic's end offsets, at one moment.
 *
 * @param atMs wall-clock epoch millis
 */
public record LagSample(long atMs, Map<Integer, Long> committed, Map<Integer, Long> ends) {

    /** Events of the usage topic not yet committed by metering. */
    public long lag() {
        long lag = 0;
        for (Map.Entry<Integer, Long> end : ends.entrySet()) {
            lag += Math.max(0, end.getValue() - committed.getOrDefault(end.getKey(), 0L));
        }
        return lag;
    }

    /** Whether metering has committed, on every partition, everything up to {@code ends}. */
    public boolean caughtUpWith(Map<Integer, Long> targetEnds) {
        for (Map.Entry<Integer, Long> end : targetEnds.entrySet()) {
            if (committed.getOrDefault(end.getKey(), 0L) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    /** Whether every partition's committed offset has moved past where it was in {@code before}. */
    public boolean advancedEverywhereSince(LagSample before) {
        if (before.committed().isEmpty()) {
            return false;
        }
        for (Map.Entry<Integer, Long> was : before.committed().entrySet()) {
            if (committed.getOrDefault(was.getKey(), 0L) <= was.getValue()) {
                return false;
            }
        }
        return true;
    }
}
