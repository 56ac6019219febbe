package dev.costmeter.metering.query;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The ratios the query API shows, from exact integer sums: rounded once, half-up (a half rounds
 * away from zero), never truncated, and computed in {@link BigDecimal} so no product overflows.
 * Null when there is nothing to divide by.
 */
final class Ratios {

    private Ratios() {
    }

    /** {@code numerator / denominator} rounded half-up to a whole number (e.g. nano-USD per call). */
    static Long halfUp(long numerator, long denominator) {
        if (denominator == 0) {
            return null;
        }
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }

    /** {@code part / whole} in basis points (1/10,000), rounded half-up. */
    static Long basisPoints(long part, long whole) {
        if (whole == 0) {
            return null;
        }
        return BigDecimal.valueOf(part).movePointRight(4).divide(BigDecimal.valueOf(whole), 0, RoundingMode.HALF_UP)
                .longValueExact();
    }
}
