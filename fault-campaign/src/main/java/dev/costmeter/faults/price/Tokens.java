package dev.costmeter.faults.price;

/** The billed token counts of one call; {@code input} excludes cache reads and writes (the contract's rule). */
public record Tokens(long input, long output, long cacheRead, long cacheWrite) {

    /** Input, cache reads and cache writes: what a long-context threshold is compared with. */
    public long prompt() {
        return input + cacheRead + cacheWrite;
    }
}
