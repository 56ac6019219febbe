package dev.costmeter.cli.money;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * Exact conversions between decimal USD strings and integer nano-USD (1e-9 USD), the unit costmeter
 * uses for every amount. No floating point is involved anywhere: decimals are parsed with
 * {@link BigDecimal} and formatted with integer division.
 */
public final class Money {

    /** Nano-USD in one USD. */
    public static final long NANOS_PER_USD = 1_000_000_000L;

    private static final Pattern PLAIN_DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
    private static final long NANOS_PER_MICRO = 1_000L;
    private static final long MICROS_PER_USD = 1_000_000L;

    private Money() {
    }

    /**
     * Parses a non-negative decimal USD amount, such as a rate of {@code "2.50"} per million tokens,
     * into nano-USD: {@code "2.50"} is {@code 2_500_000_000}, {@code "0.008"} is {@code 8_000_000}.
     *
     * @throws IllegalArgumentException whose message completes a sentence about the value, e.g.
     *     {@code "0.0000000001" has more than 9 decimal places (finer than one nano-USD)}
     */
    public static long parseUsd(String decimal) {
        String text = decimal.strip();
        if (!PLAIN_DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException(quote(decimal) + " is not a plain decimal number such as \"2.50\"");
        }
        BigDecimal usd = new BigDecimal(text);
        if (usd.signum() < 0) {
            throw new IllegalArgumentException("negative rate " + quote(decimal));
        }
        if (usd.stripTrailingZeros().scale() > 9) {
            throw new IllegalArgumentException(quote(decimal) + " has more than 9 decimal places (finer than one nano-USD)");
        }
        try {
            return usd.movePointRight(9).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(quote(decimal) + " is too large");
        }
    }

    /**
     * Formats an amount as dollars with 6 decimals, rounded half-up (away from zero) at the
     * micro-dollar: {@code 12_345_678_500} is {@code $12.345679}, {@code -1_500} is {@code -$0.000002}.
     */
    public static String format(long nanos) {
        long micros = nanos / NANOS_PER_MICRO;
        long remainder = nanos % NANOS_PER_MICRO;
        if (Math.abs(remainder) >= NANOS_PER_MICRO / 2) {
            micros += Long.signum(remainder);
        }
        String sign = micros < 0 ? "-" : "";
        long abs = Math.abs(micros);
        return sign + "$" + (abs / MICROS_PER_USD) + "." + pad(abs % MICROS_PER_USD, 6);
    }

    /**
     * Formats a rate in nano-USD per million tokens as exact dollars, with at least 2 and at most 9
     * decimals and no trailing zeros beyond 2: {@code 2_500_000_000} is {@code $2.50},
     * {@code 8_750_000} is {@code $0.00875}.
     */
    public static String formatRate(long nanos) {
        String sign = nanos < 0 ? "-" : "";
        long abs = Math.abs(nanos);
        String fraction = pad(abs % NANOS_PER_USD, 9);
        int end = fraction.length();
        while (end > 2 && fraction.charAt(end - 1) == '0') {
            end--;
        }
        return sign + "$" + (abs / NANOS_PER_USD) + "." + fraction.substring(0, end);
    }

    /** The exact decimal USD string of a nano-USD amount, e.g. {@code "2.5"} for 2_500_000_000. */
    public static String toUsdDecimal(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private static String pad(long value, int width) {
        String digits = Long.toString(value);
        return "0".repeat(Math.max(0, width - digits.length())) + digits;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }
}
