package dev.costmeter.pricing;

import dev.costmeter.contracts.UsageEvent;
import java.util.Optional;

/**
 * What one usage event costs: what is charged, what it saved, and whether a price was found. The
 * one rule both the ledger (metering-stream) and the spend caps (alerting-stream) apply, so they
 * can never disagree: the call is priced with {@code rates} ({@link Pricer}); a response-cache hit
 * is charged nothing and records what it would have cost as savings; without rates the call is
 * unpriced and costs 0.
 *
 * @param charged the cost charged, by component ({@link Cost#total()} is the call's cost)
 * @param savingsNanos what a response-cache hit would have cost, else 0
 * @param priced whether rates were in force for the call
 */
public record CallCost(Cost charged, long savingsNanos, boolean priced) {

    /**
     * Prices {@code event} with the rates in force at its event time, if any.
     *
     * @throws ArithmeticException when the exact cost does not fit a long
     */
    public static CallCost of(UsageEvent event, Optional<Rates> rates) {
        if (rates.isEmpty()) {
            return new CallCost(Cost.UNPRICED, 0, false);
        }
        Cost cost = Pricer.price(rates.get(), new Pricer.Tokens(event.getInputTokens(), event.getOutputTokens(),
                event.getCacheReadTokens(), event.getCacheWriteTokens()), event.getBatch());
        if (event.getResponseCacheHit()) {
            return new CallCost(new Cost(0, 0, 0, 0, cost.longContext(), cost.priceVersion()), cost.total(), true);
        }
        return new CallCost(cost, 0, true);
    }

    /** The charged total in nano-USD. */
    public long costNanos() {
        return charged.total();
    }
}
