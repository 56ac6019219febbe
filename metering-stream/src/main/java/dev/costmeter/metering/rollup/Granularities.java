package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.Granularity;
import java.util.Locale;

/** Window lengths of the rollup granularities, aligned to UTC. */
public final class Granularities {

    private Granularities() {
    }

    public static long sizeMs(Granularity granularity) {
        return switch (granularity) {
            case MINUTE -> 60_000L;
            case HOUR -> 3_600_000L;
            case DAY -> 86_400_000L;
        };
    }

    /** Start of the window of {@code granularity} that holds {@code epochMillis}; epoch days are UTC days. */
    public static long windowStart(Granularity granularity, long epochMillis) {
        long size = sizeMs(granularity);
        return Math.floorDiv(epochMillis, size) * size;
    }

    public static Granularity parse(String value) {
        try {
            return Granularity.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Unknown granularity '" + value + "'; use minute, hour or day");
        }
    }
}
