package dev.costmeter.local.demo;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How the demo view prints money, everywhere on the screen: US dollars with six decimals, rounded
 * half-up from the exact nano-USD integer (so {@code 1_234_567_500} nanos prints {@code $1.234568}).
 * Six decimals show a single cheap call's cost (a batch classification costs a few hundred
 * micro-dollars) without the noise of nine.
 */
final class DemoMoney {

    private DemoMoney() {
    }

    static String usd(long nanos) {
        BigDecimal dollars = BigDecimal.valueOf(nanos, 9).setScale(6, RoundingMode.HALF_UP);
        return (dollars.signum() < 0 ? "-$" : "$") + dollars.abs().toPlainString();
    }

    /** {@code part} as a percentage of {@code whole}, one decimal, rounded half-up. */
    static String percentOf(long part, long whole) {
        return BigDecimal.valueOf(part).multiply(BigDecimal.valueOf(100))
                .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP).toPlainString() + "%";
    }
}
