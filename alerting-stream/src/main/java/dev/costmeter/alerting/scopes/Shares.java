package dev.costmeter.alerting.scopes;

import java.math.BigInteger;

/** Exact comparisons of shares: no floating point where money is compared. */
final class Shares {

    private Shares() {
    }

    /** {@code value ≥ limit × pct / 100}, without overflow. */
    static boolean atLeastPct(long value, long limit, int pct) {
        return BigInteger.valueOf(value).multiply(BigInteger.valueOf(100))
                .compareTo(BigInteger.valueOf(limit).multiply(BigInteger.valueOf(pct))) >= 0;
    }

    /** {@code part / whole > pct / 100}. */
    static boolean abovePct(long part, long whole, int pct) {
        return BigInteger.valueOf(part).multiply(BigInteger.valueOf(100))
                .compareTo(BigInteger.valueOf(whole).multiply(BigInteger.valueOf(pct))) > 0;
    }

    /** {@code part / whole} in basis points, rounded down. */
    static long bps(long part, long whole) {
        return whole == 0 ? 0 : BigInteger.valueOf(part).multiply(BigInteger.valueOf(10_000))
                .divide(BigInteger.valueOf(whole)).longValue();
    }

    /** {@code a × ma > b × mb}, without overflow. */
    static boolean greater(long a, long ma, long b, long mb) {
        return BigInteger.valueOf(a).multiply(BigInteger.valueOf(ma))
                .compareTo(BigInteger.valueOf(b).multiply(BigInteger.valueOf(mb))) > 0;
    }
}
