package dev.costmeter.cli.whatif;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * An exact non-negative fraction: a success rate ({@code 7/10}, or a rate the user gives as a
 * decimal) and the expected successful tasks it gives ({@code 7/10 × 15 tasks = 21/2}). Kept exact so
 * that a cost per successful task is rounded once, half-up, from the exact quotient.
 */
public record Ratio(BigInteger numerator, BigInteger denominator) {

    static final Ratio ZERO = new Ratio(BigInteger.ZERO, BigInteger.ONE);

    public Ratio {
        if (denominator.signum() <= 0 || numerator.signum() < 0) {
            throw new IllegalArgumentException("a ratio is non-negative with a positive denominator: " + numerator + "/" + denominator);
        }
        BigInteger gcd = numerator.gcd(denominator);
        if (gcd.signum() > 0 && !gcd.equals(BigInteger.ONE)) {
            numerator = numerator.divide(gcd);
            denominator = denominator.divide(gcd);
        }
    }

    static Ratio of(long numerator, long denominator) {
        return new Ratio(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    static Ratio of(BigDecimal decimal) {
        BigDecimal exact = decimal.stripTrailingZeros();
        if (exact.scale() <= 0) {
            return new Ratio(exact.toBigIntegerExact(), BigInteger.ONE);
        }
        return new Ratio(exact.unscaledValue(), BigInteger.TEN.pow(exact.scale()));
    }

    Ratio plus(Ratio other) {
        return new Ratio(numerator.multiply(other.denominator).add(other.numerator.multiply(denominator)),
                denominator.multiply(other.denominator));
    }

    Ratio times(long factor) {
        return new Ratio(numerator.multiply(BigInteger.valueOf(factor)), denominator);
    }

    boolean isZero() {
        return numerator.signum() == 0;
    }

    /** {@code amount / this}, rounded half-up to a whole number (a cost per successful task in nano-USD). */
    long divide(long amount) {
        if (isZero()) {
            throw new ArithmeticException("division by zero");
        }
        BigInteger dividend = BigInteger.valueOf(amount).multiply(denominator);
        BigInteger[] qr = dividend.divideAndRemainder(numerator);
        BigInteger quotient = qr[1].abs().shiftLeft(1).compareTo(numerator) >= 0
                ? qr[0].add(BigInteger.valueOf(dividend.signum())) : qr[0];
        return quotient.longValueExact();
    }

    /** The value rounded half-up to {@code scale} decimals. */
    BigDecimal toDecimal(int scale) {
        return new BigDecimal(numerator).divide(new BigDecimal(denominator), scale, RoundingMode.HALF_UP);
    }

    /** The value as a percentage rounded half-up to {@code scale} decimals. */
    BigDecimal toPercent(int scale) {
        return new BigDecimal(numerator.multiply(BigInteger.valueOf(100))).divide(new BigDecimal(denominator), scale,
                RoundingMode.HALF_UP);
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator;
    }
}
