package dev.costmeter.pricing.envelope;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;

/**
 * The best / base / worst cost of one scope's UTC month projected from its days so far, in exact
 * integer nano-USD: the one rule metering's {@code /v1/envelope}, {@code costctl envelope} and
 * PostgreSQL's {@code monthly_projection} view apply ({@code pricing/README.md#the-envelope}).
 *
 * <p>Through day D of a month of N days: n = D days have elapsed (the 1st to D, D included even
 * while it is still running; a day without spend spent 0), r = N − n are left; S is the spend of
 * days 1..n, W the waste among it (spend on retried calls, attempt &gt; 1), P the dearest day. Then
 * <ul>
 *   <li>base = S + r × S / n: the rest of the month at the mean day so far;</li>
 *   <li>worst = S + r × P: every day left as dear as the dearest so far (retries and spikes
 *       included);</li>
 *   <li>best = S + r × (S − W) / n: the rest of the month at the mean day with its waste removed.</li>
 * </ul>
 * Each fraction is rounded half-up (half away from zero) to a whole nano-USD once; the mean is
 * never rounded on its own first.
 */
public record MonthlyEnvelope(YearMonth month, LocalDate through, int daysElapsed, int daysInMonth, long spentNanos,
        long wasteNanos, long dearestDayNanos, long bestNanos, long baseNanos, long worstNanos) {

    /**
     * Projects {@code month} through day {@code through} from the spend and waste of each UTC day;
     * days missing from the maps spent nothing, and days outside the month or after {@code through}
     * are not counted.
     *
     * @throws IllegalArgumentException when {@code through} is not a day of {@code month}, or a
     *     day's waste is negative or above its spend
     * @throws ArithmeticException when a total does not fit a long
     */
    public static MonthlyEnvelope project(YearMonth month, LocalDate through, Map<LocalDate, Long> spendByDay,
            Map<LocalDate, Long> wasteByDay) {
        if (!YearMonth.from(through).equals(month)) {
            throw new IllegalArgumentException("through day " + through + " is not a day of " + month);
        }
        long spent = 0;
        long waste = 0;
        long dearest = 0;
        for (LocalDate day = month.atDay(1); !day.isAfter(through); day = day.plusDays(1)) {
            long spend = spendByDay.getOrDefault(day, 0L);
            long wasted = wasteByDay.getOrDefault(day, 0L);
            if (wasted < 0 || wasted > Math.max(spend, 0)) {
                throw new IllegalArgumentException("waste of " + day + " (" + wasted + ") must be between 0 and its spend ("
                        + spend + ")");
            }
            spent = Math.addExact(spent, spend);
            waste = Math.addExact(waste, wasted);
            dearest = Math.max(dearest, spend);
        }
        int elapsed = through.getDayOfMonth();
        int left = month.lengthOfMonth() - elapsed;
        long base = Math.addExact(spent, halfUp(BigInteger.valueOf(left).multiply(BigInteger.valueOf(spent)), elapsed));
        long best = Math.addExact(spent,
                halfUp(BigInteger.valueOf(left).multiply(BigInteger.valueOf(Math.subtractExact(spent, waste))), elapsed));
        long worst = Math.addExact(spent, Math.multiplyExact((long) left, dearest));
        return new MonthlyEnvelope(month, through, elapsed, month.lengthOfMonth(), spent, waste, dearest, best, base, worst);
    }

    /** Days of the month still to come after {@link #through}. */
    public int daysLeft() {
        return daysInMonth - daysElapsed;
    }

    /** {@code numerator / denominator} rounded half away from zero, exactly; {@code denominator} is positive. */
    static long halfUp(BigInteger numerator, int denominator) {
        BigInteger d = BigInteger.valueOf(denominator);
        BigInteger[] qr = numerator.abs().divideAndRemainder(d);
        BigInteger rounded = qr[1].shiftLeft(1).compareTo(d) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
        return (numerator.signum() < 0 ? rounded.negate() : rounded).longValueExact();
    }
}
