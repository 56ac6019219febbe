package dev.costmeter.metering.rollup;

/**
 * Totals of the calls of one scope in one UTC minute, pre-aggregated on the partition that priced
 * them, on their way to the partition that owns the scope's rollups.
 */
public record RollupDelta(long minuteStart, Counters counters) {
}
