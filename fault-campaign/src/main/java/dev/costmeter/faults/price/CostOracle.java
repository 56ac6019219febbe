package dev.costmeter.faults.price;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The campaign's independent statement of the pricing rule (README "Money" and the docs of
 * {@code PriceEntry.avsc}), in decimal arithmetic rather than the project's integer shortcuts:
 *
 * <ul>
 *   <li>a component costs {@code tokens × rate / 1,000,000} rounded half-up to a whole nano-USD, and
 *       the call costs the sum of its four rounded components;</li>
 *   <li>a batch call uses the batch input and output rates where the model has them (cache rates are
 *       unchanged);</li>
 *   <li>when input + cache read + cache write tokens are above the long-context threshold, the tier's
 *       four rates replace the base rates;</li>
 *   <li>a response-cache hit is charged nothing and records what it would have cost as savings;</li>
 *   <li>the version in force is the one whose effective_from is the latest at or before the event.</li>
 * </ul>
 *
 * A batch call above a long-context threshold is refused: the contract does not say which rate wins,
 * so the workload never makes one.
 */
public final class CostOracle {

    private static final BigDecimal PER_MILLION = BigDecimal.valueOf(1_000_000L);

    private CostOracle() {
    }

    /** {@code tokens × ratePerMillion / 1,000,000}, rounded half-up to a whole nano-USD. */
    public static BigInteger component(long tokens, long ratePerMillion) {
        if (tokens < 0 || ratePerMillion < 0) {
            throw new IllegalArgumentException("a priced component has no negative tokens or rate: " + tokens + ", " + ratePerMillion);
        }
        return BigDecimal.valueOf(tokens).multiply(BigDecimal.valueOf(ratePerMillion))
                .divide(PER_MILLION, 0, RoundingMode.HALF_UP).toBigIntegerExact();
    }

    /** The version of a model's price in force at {@code eventTime} among {@code versions}, if any. */
    public static Optional<ModelPrice> inForce(List<ModelPrice> versions, Instant eventTime) {
        return versions.stream().filter(v -> !v.effectiveFrom().isAfter(eventTime))
                .max((a, b) -> a.effectiveFrom().compareTo(b.effectiveFrom()));
    }

    /** What a call with no price in force is ledgered with: nothing charged, nothing saved. */
    public static ExpectedCost unpriced() {
        return new ExpectedCost(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO,
                false, false, null);
    }

    /** Prices one call with {@code price}. */
    public static ExpectedCost price(ModelPrice price, Tokens tokens, boolean batch, boolean responseCacheHit) {
        long inputRate = price.input();
        long outputRate = price.output();
        long cacheReadRate = price.cacheRead();
        long cacheWriteRate = price.cacheWrite();
        boolean longContext = price.longContext() != null && tokens.prompt() > price.longContext().thresholdPromptTokens();
        if (longContext && batch) {
            throw new IllegalArgumentException("a batch call above the long-context threshold has no documented price");
        }
        if (longContext) {
            ModelPrice.LongContext tier = price.longContext();
            inputRate = tier.input();
            outputRate = tier.output();
            cacheReadRate = tier.cacheRead();
            cacheWriteRate = tier.cacheWrite();
        } else if (batch) {
            inputRate = price.batchInput() != null ? price.batchInput() : inputRate;
            outputRate = price.batchOutput() != null ? price.batchOutput() : outputRate;
        }
        BigInteger input = component(tokens.input(), inputRate);
        BigInteger output = component(tokens.output(), outputRate);
        BigInteger cacheRead = component(tokens.cacheRead(), cacheReadRate);
        BigInteger cacheWrite = component(tokens.cacheWrite(), cacheWriteRate);
        if (responseCacheHit) {
            BigInteger wouldHaveCost = input.add(output).add(cacheRead).add(cacheWrite);
            return new ExpectedCost(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO, wouldHaveCost,
                    true, longContext, price.priceVersion());
        }
        return new ExpectedCost(input, output, cacheRead, cacheWrite, BigInteger.ZERO, true, longContext, price.priceVersion());
    }
}
