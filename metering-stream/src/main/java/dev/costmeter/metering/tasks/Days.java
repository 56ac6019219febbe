package dev.costmeter.metering.tasks;

import java.time.LocalDate;

/** UTC calendar days as ISO strings (YYYY-MM-DD), which sort and range-scan in date order. */
public final class Days {

    private static final long DAY_MS = 86_400_000L;

    /** The last day formatted, per thread: consecutive calls almost always fall on the same day. */
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[] {Long.MIN_VALUE, ""});

    private Days() {
    }

    public static String of(long epochMillis) {
        long epochDay = Math.floorDiv(epochMillis, DAY_MS);
        Object[] last = LAST.get();
        if ((long) last[0] != epochDay) {
            last[0] = epochDay;
            last[1] = LocalDate.ofEpochDay(epochDay).toString();
        }
        return (String) last[1];
    }
}
