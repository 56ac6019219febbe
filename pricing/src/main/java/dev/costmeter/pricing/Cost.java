package dev.costmeter.pricing;

/**
 * What one call costs, in nano-USD, by component. {@link #total()} is the exact sum of the
 * components, each already rounded to a whole nano-USD.
 */
public record Cost(long input, long output, long cacheRead, long cacheWrite, boolean longContext, String priceVersion) {

    public static final Cost UNPRICED = new Cost(0, 0, 0, 0, false, null);

    public long total() {
        return Math.addExact(Math.addExact(input, output), Math.addExact(cacheRead, cacheWrite));
    }
}
