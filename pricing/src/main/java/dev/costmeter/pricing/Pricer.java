package dev.costmeter.pricing;

import java.math.BigInteger;

/**
 * Exact per-call arithmetic. A component costs {@code tokens × rate / 1,000,000} (rates are
 * nano-USD per million tokens) rounded half-up to a whole nano-USD; the call costs the sum of its
 * rounded components. Integer arithmetic throughout; products that would overflow a long are
 * computed exactly with {@link BigInteger}.
 */
public final class Pricer {

    private static final long PER_MILLION = 1_000_000L;
    private static final BigInteger BIG_PER_MILLION = BigInteger.valueOf(PER_MILLION);
    private static final BigInteger HALF = BigInteger.valueOf(PER_MILLION / 2);

    private Pricer() {
    }

    /** Token counts of one call; {@code input} excludes cache reads and writes. */
    public record Tokens(long input, long output, long cacheRead, long cacheWrite) {
        long prompt() {
            return input + cacheRead + cacheWrite;
        }
    }

    /** Prices {@code tokens} with {@code rates}, at batch rates when {@code batch}. */
    public static Cost price(Rates rates, Tokens tokens, boolean batch) {
        long inputRate = rates.input();
        long outputRate = rates.output();
        long cacheReadRate = rates.cacheRead();
        long cacheWriteRate = rates.cacheWrite();
        boolean longContext = rates.longContext() != null
                && tokens.prompt() > rates.longContext().getThresholdPromptTokens();
        if (longContext) {
            // The long-context tier replaces the base rates; batch rates are published for the base tier only.
            inputRate = rates.longContext().getInputNanosPerMtok();
            outputRate = rates.longContext().getOutputNanosPerMtok();
            cacheReadRate = rates.longContext().getCacheReadNanosPerMtok();
            cacheWriteRate = rates.longContext().getCacheWriteNanosPerMtok();
        } else if (batch) {
            inputRate = rates.batchInput() != null ? rates.batchInput() : inputRate;
            outputRate = rates.batchOutput() != null ? rates.batchOutput() : outputRate;
        }
        return new Cost(component(tokens.input(), inputRate), component(tokens.output(), outputRate),
                component(tokens.cacheRead(), cacheReadRate), component(tokens.cacheWrite(), cacheWriteRate),
                longContext, rates.priceVersion());
    }

    /** {@code tokens × ratePerMillion / 1,000,000}, rounded half-up. Both arguments are non-negative. */
    static long component(long tokens, long ratePerMillion) {
        if (tokens < 0 || ratePerMillion < 0) {
            throw new IllegalArgumentException("tokens and rates must not be negative: " + tokens + ", " + ratePerMillion);
        }
        long high = Math.multiplyHigh(tokens, ratePerMillion);
        long product = tokens * ratePerMillion;
        if (high == 0 && product >= 0 && product <= Long.MAX_VALUE - PER_MILLION / 2) {
            return (product + PER_MILLION / 2) / PER_MILLION;
        }
        return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(ratePerMillion)).add(HALF)
                .divide(BIG_PER_MILLION).longValueExact();
    }
}
