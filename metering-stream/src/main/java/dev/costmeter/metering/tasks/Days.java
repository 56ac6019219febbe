package dev.costmeter.metering.tasks;

import java.time.Instant;
import java.time.ZoneOffset;

/** UTC calendar days as ISO strings (YYYY-MM-DD), which sort and range-scan in date order. */
public final class Days {

    private static final long DAY_MS = 86_400_000L;

    private Days() {
    }

    public static String of(long epochMillis) {
        return Instant.ofEpochMilli(Math.floorDiv(epochMillis, DAY_MS) * DAY_MS).atOffset(ZoneOffset.UTC).toLocalDate().toString();
    }
}
