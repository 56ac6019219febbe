package dev.costmeter.alerting.budgets;

import dev.costmeter.contracts.BudgetPeriod;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;

/** Calendar periods of budget caps, in a policy's time zone. */
public final class Periods {

    /** A half-open period {@code [start, end)}. */
    public record Period(BudgetPeriod kind, Instant start, Instant end) {

        /** How the period reads in alerts, e.g. {@code DAY 2026-11-27T00:00Z[UTC]}. */
        public String label(ZoneId zone) {
            return kind + " " + start.atZone(zone).toLocalDateTime();
        }
    }

    private Periods() {
    }

    public static Period containing(BudgetPeriod kind, Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        ZonedDateTime start = switch (kind) {
            case HOUR -> local.truncatedTo(ChronoUnit.HOURS);
            case DAY -> local.truncatedTo(ChronoUnit.DAYS);
            case MONTH -> local.truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.firstDayOfMonth());
        };
        ZonedDateTime end = switch (kind) {
            case HOUR -> start.plusHours(1);
            case DAY -> start.plusDays(1);
            case MONTH -> start.plusMonths(1);
        };
        return new Period(kind, start.toInstant(), end.toInstant());
    }

    /** The zone of a policy; an unknown zone id falls back to UTC rather than stopping enforcement. */
    public static ZoneId zone(String id) {
        try {
            return ZoneId.of(id == null || id.isBlank() ? "UTC" : id);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
