package dev.costmeter.faults.oracle;

import java.time.LocalDate;

/** The keys of the oracle's aggregates, one per store shape. */
public final class Keys {

    private Keys() {
    }

    /** A rollup window of one UTC day; {@code dimension} as {@code RollupDimension} names it (TENANT, MODEL, ...). */
    public record Rollup(String dimension, String scope, LocalDate day) {
    }

    /** metering's task_class table: one kind of work, one UTC day of outcomes, one model. */
    public record TaskClass(String taskClass, LocalDate day, String model) {
    }

    /** The {@code daily_spend} view's row key. */
    public record DailySpend(LocalDate day, String tenantId, String route, String provider, String model) {
    }

    /** The {@code cost_per_successful_task} view's row key. */
    public record ClassDay(LocalDate day, String taskClass) {
    }
}
