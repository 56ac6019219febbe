package dev.costmeter.pricing;

/**
 * What one call costs, in nano-USD, by component. {@link #total()} is the exact sum of the
 * components, each already rounded to a whole nano-USD.
 *
 * @param cacheWrite every cache write, 1-hour writes included
 * @param cacheWrite1h the 1-hour writes' part of {@code cacheWrite} (not added to the total again)
 * @param requestFees the per-request fees
 * @param serviceTier the tier the call was priced in; null for the standard tier
 */
public record Cost(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long requestFees,
        boolean longContext, String serviceTier, String priceVersion) {

    public static final Cost UNPRICED = new Cost(0, 0, 0, 0, false, null);

    /** A standard-tier cost with no 1-hour writes and no request fees. */
    public Cost(long input, long output, long cacheRead, long cacheWrite, boolean longContext, String priceVersion) {
        this(input, output, cacheRead, cacheWrite, 0, 0, longContext, null, priceVersion);
    }

    /** The exact sum of input, output, cache read, cache write and request fees. */
    public long total() {
        return Math.addExact(Math.addExact(Math.addExact(input, output), Math.addExact(cacheRead, cacheWrite)),
                requestFees);
    }

    /** The same call charged nothing (a response-cache hit), keeping how it would have been priced. */
    Cost free() {
        return new Cost(0, 0, 0, 0, 0, 0, longContext, serviceTier, priceVersion);
    }
}
