package dev.costmeter.pricing.scenario;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.CallCost;
import dev.costmeter.pricing.PriceBook;
import dev.costmeter.pricing.Rates;
import java.util.Optional;
import java.util.function.Function;

/**
 * Prices ledgered calls as a {@link Scenario} would have made them ({@link ScenarioCall}), each with
 * the version of its (scenario) model's price in force at the call's time, through the one rule
 * metering prices with ({@link CallCost}). A call the scenario's price cannot price (no price in
 * force, a rate it lacks) comes back unpriced with the reason, never at 0 silently.
 */
public final class ScenarioPricer {

    private final Scenario scenario;
    private final Function<String, PriceBook> books;

    /**
     * @param books the price history of a {@code provider/model} key, or null when the prices topic has none
     */
    public ScenarioPricer(Scenario scenario, Function<String, PriceBook> books) {
        this.scenario = scenario;
        this.books = books;
    }

    /**
     * One call repriced under the scenario.
     *
     * @param cost           what it would have cost; unpriced with its reason when it could not be priced
     * @param movedToBatch   the scenario sent it through batch
     * @param noBatchRate    moved to batch, but the price has no batch rate, so it pays standard rates
     * @param outputTokensCut output tokens the cap removed
     */
    public record Repriced(CallCost cost, boolean movedToBatch, boolean noBatchRate, long outputTokensCut) {
    }

    /**
     * @throws ArithmeticException when a cost does not fit a long
     * @throws IllegalArgumentException when the call's counts contradict each other
     */
    public Repriced price(PricedUsage call) {
        String key = scenario.changesModel() ? scenario.modelKey() : call.getProvider() + "/" + call.getModel();
        PriceBook book = books.apply(key);
        Optional<Rates> rates = book == null ? Optional.empty() : book.inForceAt(call.getEventTime());
        ScenarioCall.Rewritten rewritten = ScenarioCall.rewrite(call, scenario, rates.orElse(null));
        CallCost cost = CallCost.of(rewritten.event(), rates);
        if (!cost.priced()) {
            String reason = book == null ? "no price for " + key
                    : rates.isEmpty() ? "no price of " + key + " in force at the call's time" : cost.unpricedReason();
            cost = new CallCost(cost.charged(), 0, false, reason);
        }
        boolean noBatchRate = rewritten.movedToBatch() && rates.isPresent() && rates.get().batchInput() == null
                && rates.get().batchOutput() == null;
        return new Repriced(cost, rewritten.movedToBatch(), noBatchRate, rewritten.outputTokensCut());
    }
}
