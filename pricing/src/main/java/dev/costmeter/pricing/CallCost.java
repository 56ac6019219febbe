package dev.costmeter.pricing;

import dev.costmeter.contracts.UsageEvent;
import java.util.Optional;

/**
 * What one usage event costs: what is charged, what it saved, and whether a price was found. The
 * one rule both the ledger (metering-stream) and the spend caps (alerting-stream) apply, so they
 * can never disagree: the call is priced with {@code rates} ({@link Pricer}); a response-cache hit
 * is charged nothing and records what it would have cost as savings; without rates, or when the
 * rates lack one the call needs ({@link MissingRateException}), the call is unpriced, costs 0 and
 * says why.
 *
 * @param charged the cost charged, by component ({@link Cost#total()} is the call's cost)
 * @param savingsNanos what a response-cache hit would have cost, else 0
 * @param priced whether the call could be priced
 * @param unpricedReason why it could not; null when priced
 */
public record CallCost(Cost charged, long savingsNanos, boolean priced, String unpricedReason) {

    /** The reason of a call whose model has no price in force at its event time. */
    public static final String NO_PRICE = "no price in force for the model at the event time";

    public CallCost(Cost charged, long savingsNanos, boolean priced) {
        this(charged, savingsNanos, priced, priced ? null : NO_PRICE);
    }

    /**
     * Prices {@code event} with the rates in force at its event time, if any.
     *
     * @throws ArithmeticException when the exact cost does not fit a long
     * @throws IllegalArgumentException when the event's counts contradict each other (1-hour writes
     *     above all writes, a negative count)
     */
    public static CallCost of(UsageEvent event, Optional<Rates> rates) {
        Call call = Call.of(event);
        if (rates.isEmpty()) {
            return new CallCost(Cost.UNPRICED, 0, false, NO_PRICE);
        }
        Cost cost;
        try {
            cost = Pricer.price(rates.get(), call);
        } catch (MissingRateException e) {
            return new CallCost(Cost.UNPRICED, 0, false, e.getMessage());
        }
        if (event.getResponseCacheHit()) {
            return new CallCost(cost.free(), cost.total(), true, null);
        }
        return new CallCost(cost, 0, true, null);
    }

    /** The charged total in nano-USD. */
    public long costNanos() {
        return charged.total();
    }
}
