package dev.costmeter.faults.price;

import java.math.BigInteger;

/**
 * What one call must be charged, by component, as the campaign's own arithmetic says. Amounts are
 * {@link BigInteger} nano-USD so that a cost too large for a long is represented, not wrapped.
 *
 * @param priced       false when no price was in force at the event time
 * @param longContext  whether the long-context tier applied
 * @param priceVersion the version priced with, or null when unpriced
 * @param savings      for a response-cache hit, what the call would have cost; else zero
 */
public record ExpectedCost(BigInteger input, BigInteger output, BigInteger cacheRead, BigInteger cacheWrite,
        BigInteger savings, boolean priced, boolean longContext, String priceVersion) {

    /** The charge: the sum of the four rounded components. */
    public BigInteger total() {
        return input.add(output).add(cacheRead).add(cacheWrite);
    }

    /** Whether every amount fits the long fields of the ledger. */
    public boolean fitsInLong() {
        return fits(total()) && fits(savings);
    }

    private static boolean fits(BigInteger value) {
        return value.bitLength() < Long.SIZE;
    }
}
