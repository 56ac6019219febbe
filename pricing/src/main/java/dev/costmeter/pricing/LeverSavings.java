package dev.costmeter.pricing;

import dev.costmeter.contracts.UsageEvent;
import java.util.Optional;

/**
 * What the provider-side cost levers saved on one call, in nano-USD, each found by pricing the same
 * call again through {@link Pricer} with only that lever taken away, so every rule of the price
 * (long-context tier for the whole call, service tier, batch, request fees, rounding per token kind)
 * applies to the counterfactual exactly as to the call. Signed: a lever that cost more than it saved
 * on the call is negative. The rules are in {@code pricing/README.md}, section Levers.
 *
 * <ul>
 *   <li>{@code cacheSavingsNanos}: the call with its cache reads and cache writes (5-minute and
 *       1-hour) billed as plain input tokens, minus what it was charged. A call that only writes to
 *       the cache pays the write premium and saves nothing here: negative.</li>
 *   <li>{@code batchSavingsNanos}: for a batch call, the same call with {@code batch=false} (standard
 *       tier), minus what it was charged; 0 for other calls. A batch call of a model without batch
 *       rates is charged the standard rates (the price's documented fallback), so it saves 0.</li>
 * </ul>
 *
 * Both are 0 for an unpriced call (nothing was charged) and for a response-cache hit (no provider
 * call was made: its whole would-be cost is the response cache's {@code savings_nanos}), and 0 when
 * the counterfactual needs a rate the price does not have.
 */
public record LeverSavings(long cacheSavingsNanos, long batchSavingsNanos) {

    public static final LeverSavings NONE = new LeverSavings(0, 0);

    /**
     * The savings of {@code event}, charged {@code cost} with {@code rates}.
     *
     * @throws ArithmeticException when a counterfactual cost does not fit a long
     */
    public static LeverSavings of(UsageEvent event, Optional<Rates> rates, CallCost cost) {
        if (rates.isEmpty() || !cost.priced() || event.getResponseCacheHit()) {
            return NONE;
        }
        return of(rates.get(), Call.of(event), cost.charged());
    }

    /** The savings of {@code call}, which was charged {@code charged} with {@code rates}. */
    public static LeverSavings of(Rates rates, Call call, Cost charged) {
        return new LeverSavings(cache(rates, call, charged), batch(rates, call, charged));
    }

    private static long cache(Rates rates, Call call, Cost charged) {
        Pricer.Tokens tokens = call.tokens();
        if (tokens.cacheRead() == 0 && tokens.cacheWrite() == 0) {
            return 0;
        }
        // The prompt is the same size without the cache, so the same long-context tier applies.
        Pricer.Tokens uncached = new Pricer.Tokens(
                Math.addExact(tokens.input(), Math.addExact(tokens.cacheRead(), tokens.cacheWrite())), tokens.output(), 0, 0);
        return savedAgainst(rates, new Call(uncached, 0, call.batch(), call.serviceTier(), call.requestCounts()), charged);
    }

    private static long batch(Rates rates, Call call, Cost charged) {
        if (!call.batch()) {
            return 0;
        }
        return savedAgainst(rates, new Call(call.tokens(), call.cacheWrite1h(), false, null, call.requestCounts()), charged);
    }

    private static long savedAgainst(Rates rates, Call counterfactual, Cost charged) {
        try {
            return Math.subtractExact(Pricer.price(rates, counterfactual).total(), charged.total());
        } catch (MissingRateException e) {
            // Without the rate the comparison needs, the lever's effect is unknown: claim nothing.
            return 0;
        }
    }
}
