package dev.costmeter.cli.envelope;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A best / base / worst projection of one month's spend (UTC) from the days so far, in exact
 * integer nano-USD.
 *
 * <p>Definitions: S is everything spent in the month up to {@code asOf} (the complete days plus
 * today so far); the complete days are the d UTC days of the month that ended before {@code asOf};
 * r is the time left in the month, in days, counted exactly in milliseconds, so the rest of today
 * counts as the fraction of a day it is. Then
 * <ul>
 *   <li>base = S + r × (mean spend of the complete days)</li>
 *   <li>best = S + r × (lowest complete day)</li>
 *   <li>worst = S + r × (highest complete day), or × the 90th percentile (nearest rank) once there
 *       are at least 10 complete days, so that one outlier day does not dominate</li>
 * </ul>
 * Each product is computed as one exact fraction and rounded half-up to a whole nano-USD once.
 * Days without a spend window spent nothing. With no complete day yet (the 1st of the month) there
 * is no daily rate to project from and the projections are absent. A past month has r = 0, so all
 * three equal what was spent.
 *
 * @param spentNanos S
 * @param completeDays spend of each complete day, in date order
 * @param todayNanos spend of today so far (0 for a past month)
 * @param remainingMillis r, in milliseconds
 * @param worstBasis {@code max} or {@code p90}
 */
public record Envelope(YearMonth month, Instant asOf, long spentNanos, List<Long> completeDays, long todayNanos,
        long remainingMillis, Long bestNanos, Long baseNanos, Long worstNanos, String worstBasis) {

    static final long DAY_MILLIS = 86_400_000L;
    /** Complete days from which the worst case uses the 90th percentile instead of the maximum. */
    static final int PERCENTILE_FROM_DAYS = 10;

    /**
     * Projects {@code month} as of {@code now} from the spend per UTC day.
     *
     * @throws IllegalArgumentException when the month has not started at {@code now}
     */
    public static Envelope project(YearMonth month, Instant now, Map<LocalDate, Long> dailySpend) {
        Instant start = start(month);
        Instant end = start(month.plusMonths(1));
        if (now.isBefore(start)) {
            throw new IllegalArgumentException("month " + month + " has not started yet");
        }
        Instant asOf = now.isBefore(end) ? now : end;
        LocalDate firstIncomplete = LocalDate.ofInstant(asOf, ZoneOffset.UTC);
        List<Long> complete = new ArrayList<>();
        for (LocalDate day = month.atDay(1); day.isBefore(firstIncomplete) && !day.isAfter(month.atEndOfMonth());
                day = day.plusDays(1)) {
            complete.add(dailySpend.getOrDefault(day, 0L));
        }
        long today = asOf.equals(end) ? 0L : dailySpend.getOrDefault(firstIncomplete, 0L);
        long completeSum = complete.stream().mapToLong(Long::longValue).reduce(0L, Math::addExact);
        long spent = Math.addExact(completeSum, today);
        long remaining = end.toEpochMilli() - asOf.toEpochMilli();
        String worstBasis = complete.size() >= PERCENTILE_FROM_DAYS ? "p90" : "max";
        if (complete.isEmpty()) {
            return new Envelope(month, asOf, spent, complete, today, remaining, null, null, null, worstBasis);
        }
        int d = complete.size();
        long base = spent + rest(completeSum, remaining, d);
        long best = spent + rest(Collections.min(complete), remaining, 1);
        long worstDay = d >= PERCENTILE_FROM_DAYS ? percentile90(complete) : Collections.max(complete);
        long worst = spent + rest(worstDay, remaining, 1);
        return new Envelope(month, asOf, spent, List.copyOf(complete), today, remaining, best, base, worst, worstBasis);
    }

    /** The mean spend of the complete days, rounded half-up; null without complete days. */
    public Long meanDailyNanos() {
        if (completeDays.isEmpty()) {
            return null;
        }
        long sum = completeDays.stream().mapToLong(Long::longValue).sum();
        return divide(BigDecimal.valueOf(sum), BigDecimal.valueOf(completeDays.size()));
    }

    /** The spend of the day the worst case projects from. */
    public Long worstDailyNanos() {
        if (completeDays.isEmpty()) {
            return null;
        }
        return "p90".equals(worstBasis) ? percentile90(completeDays) : Collections.max(completeDays);
    }

    /** The 90th percentile by nearest rank: the value at 1-based rank ceil(0.9 × n) of the sorted days. */
    static long percentile90(List<Long> days) {
        List<Long> sorted = new ArrayList<>(days);
        Collections.sort(sorted);
        int rank = (9 * sorted.size() + 9) / 10;
        return sorted.get(rank - 1);
    }

    /** {@code amount × remainingMillis / (days × DAY_MILLIS)}, rounded half-up once. */
    private static long rest(long amount, long remainingMillis, int days) {
        return divide(BigDecimal.valueOf(amount).multiply(BigDecimal.valueOf(remainingMillis)),
                BigDecimal.valueOf(days).multiply(BigDecimal.valueOf(DAY_MILLIS)));
    }

    private static long divide(BigDecimal numerator, BigDecimal denominator) {
        return numerator.divide(denominator, 0, RoundingMode.HALF_UP).longValueExact();
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
