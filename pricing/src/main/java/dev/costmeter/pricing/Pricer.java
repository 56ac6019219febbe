package dev.costmeter.pricing;

import dev.costmeter.contracts.LongContextCombination;
import dev.costmeter.contracts.ServiceTierRates;
import java.math.BigInteger;
import java.util.Map;

/**
 * Exact per-call arithmetic, the rules of {@code pricing/README.md} (section Money). A component
 * costs {@code tokens × rate / 1,000,000} (rates are nano-USD per million tokens) rounded half-up
 * to a whole nano-USD, once per token kind; a long-context rate scaled by a batch or service-tier
 * ratio is rounded once, after the scaling. Request fees are {@code count × fee}, exact. The call
 * costs the sum of its rounded components. Integer arithmetic throughout: products that would
 * overflow a long are computed with {@link BigInteger}, and a cost that does not fit a long throws
 * {@link ArithmeticException}.
 */
public final class Pricer {

    private static final long PER_MILLION = 1_000_000L;
    private static final BigInteger BIG_PER_MILLION = BigInteger.valueOf(PER_MILLION);
    private static final BigInteger HALF = BigInteger.valueOf(PER_MILLION / 2);
    private static final TokenKind[] KINDS = TokenKind.values();

    private Pricer() {
    }

    /** Token counts of one call; {@code input} excludes cache reads and writes. */
    public record Tokens(long input, long output, long cacheRead, long cacheWrite) {
        long prompt() {
            return input + cacheRead + cacheWrite;
        }
    }

    /** Prices {@code tokens} with {@code rates}, at batch rates when {@code batch}, in the standard tier. */
    public static Cost price(Rates rates, Tokens tokens, boolean batch) {
        return price(rates, Call.of(tokens, batch));
    }

    /**
     * Prices {@code call} with {@code rates}.
     *
     * @throws MissingRateException when the price has no rate for something the call used
     * @throws ArithmeticException when the cost does not fit a long
     */
    public static Cost price(Rates rates, Call call) {
        if (call.batch() && call.serviceTier() != null) {
            throw new MissingRateException("a batch call in service tier '" + call.serviceTier()
                    + "' has no rate: batch is a tier of its own");
        }
        ServiceTierRates tier = null;
        if (call.serviceTier() != null) {
            tier = rates.serviceTiers().get(call.serviceTier());
            if (tier == null) {
                throw new MissingRateException(rates.priceVersion() + " has no rates for service tier '"
                        + call.serviceTier() + "'");
            }
        }
        boolean longContext = rates.longContext() != null
                && call.tokens().prompt() > rates.longContext().getThresholdPromptTokens();
        LongContextCombination combination = LongContextCombination.TIER_REPLACES;
        if (longContext && (call.batch() || tier != null)) {
            combination = call.batch() ? rates.longContext().getWithBatch() : rates.longContext().getWithServiceTier();
            if (combination == LongContextCombination.NOT_AVAILABLE) {
                throw new MissingRateException(rates.priceVersion() + " does not sell long-context calls (prompt above "
                        + rates.longContext().getThresholdPromptTokens() + " tokens) "
                        + (call.batch() ? "through batch" : "in service tier '" + call.serviceTier() + "'"));
            }
        }
        // One cost per kind, indexed by ordinal: a map of boxed costs and the boxed rates it was filled
        // from were a tenth of what pricing allocated per call (JFR, issue #19's benchmark).
        long[] costs = new long[KINDS.length];
        for (TokenKind kind : KINDS) {
            long tokens = kind.tokens(call);
            if (tokens != 0) {
                costs[kind.ordinal()] = cost(kind, tokens, rates, call, tier, longContext, combination);
            }
        }
        long requestFees = requestFees(rates, call);
        long cacheWrite1h = costs[TokenKind.CACHE_WRITE_1H.ordinal()];
        return new Cost(costs[TokenKind.INPUT.ordinal()], costs[TokenKind.OUTPUT.ordinal()],
                costs[TokenKind.CACHE_READ.ordinal()], Math.addExact(costs[TokenKind.CACHE_WRITE.ordinal()], cacheWrite1h),
                cacheWrite1h, requestFees, longContext, call.serviceTier(), rates.priceVersion());
    }

    /** The cost of {@code tokens} (not 0) of {@code kind}. */
    private static long cost(TokenKind kind, long tokens, Rates rates, Call call, ServiceTierRates tier, boolean longContext,
            LongContextCombination combination) {
        if (!longContext && !call.batch() && tier == null) {
            // The standard rate, as most calls are priced.
            if (!kind.hasBase(rates)) {
                throw missing(rates, kind, "");
            }
            return component(tokens, kind.baseRate(rates));
        }
        Long modified = call.batch() ? kind.batch(rates) : tier != null ? kind.serviceTier(tier) : kind.base(rates);
        String where = call.batch() ? " for batch calls" : tier != null ? " in service tier '" + call.serviceTier() + "'" : "";
        if (!longContext) {
            return component(tokens, require(modified, rates, kind, where));
        }
        long tierRate = require(kind.longContext(rates.longContext()), rates, kind, " in its long-context tier");
        if (combination == LongContextCombination.MULTIPLY && (call.batch() || tier != null)) {
            long base = require(kind.base(rates), rates, kind, "");
            long modifier = require(modified, rates, kind, where);
            if (base == 0) {
                throw new MissingRateException(rates.priceVersion() + " cannot scale its long-context "
                        + kind.label() + " rate" + where + ": the base " + kind.label() + " rate is 0");
            }
            return scaledComponent(tokens, tierRate, modifier, base);
        }
        return component(tokens, tierRate);
    }

    private static MissingRateException missing(Rates rates, TokenKind kind, String where) {
        return new MissingRateException(rates.priceVersion() + " has no " + kind.label() + " rate" + where);
    }

    private static long require(Long rate, Rates rates, TokenKind kind, String where) {
        if (rate == null) {
            throw missing(rates, kind, where);
        }
        return rate;
    }

    /** Fees are the same whatever the tier, batch or long context: {@code count × fee} per kind, exact. */
    private static long requestFees(Rates rates, Call call) {
        long total = 0;
        for (Map.Entry<String, Long> count : call.requestCounts().entrySet()) {
            if (count.getValue() == 0) {
                continue;
            }
            Long fee = rates.requestFees().get(count.getKey());
            if (fee == null) {
                throw new MissingRateException(rates.priceVersion() + " has no fee for request kind '" + count.getKey() + "'");
            }
            if (fee < 0) {
                throw new IllegalArgumentException("fee for request kind '" + count.getKey() + "' is negative: " + fee);
            }
            total = Math.addExact(total, Math.multiplyExact(count.getValue(), fee));
        }
        return total;
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

    /**
     * {@code tokens × tierRate × modifiedRate / (baseRate × 1,000,000)}, rounded half-up once: a
     * long-context rate scaled by the ratio batch or a service tier applies to the base rate.
     */
    static long scaledComponent(long tokens, long tierRate, long modifiedRate, long baseRate) {
        if (tokens < 0 || tierRate < 0 || modifiedRate < 0 || baseRate <= 0) {
            throw new IllegalArgumentException("tokens and rates must not be negative and the base rate must be positive: "
                    + tokens + ", " + tierRate + ", " + modifiedRate + ", " + baseRate);
        }
        BigInteger numerator = BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(tierRate))
                .multiply(BigInteger.valueOf(modifiedRate));
        BigInteger denominator = BigInteger.valueOf(baseRate).multiply(BIG_PER_MILLION);
        BigInteger[] quotientAndRemainder = numerator.divideAndRemainder(denominator);
        BigInteger rounded = quotientAndRemainder[1].shiftLeft(1).compareTo(denominator) >= 0
                ? quotientAndRemainder[0].add(BigInteger.ONE) : quotientAndRemainder[0];
        return rounded.longValueExact();
    }
}
