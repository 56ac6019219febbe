package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.CallCost;
import dev.costmeter.pricing.LedgeredCall;
import dev.costmeter.pricing.Cost;
import dev.costmeter.pricing.Rates;
import java.time.Instant;
import java.util.Optional;

/**
 * Reprices a ledgered call with other rates through the shared pricing rule ({@link CallCost}) and
 * states the difference as a {@link LedgerCorrection}. The old cost is the call's ledgered cost; a
 * call corrected before is repriced against its latest corrected cost by whoever issues the next
 * correction (costctl reads the applied corrections for that).
 */
public final class Reprice {

    /** Reason of the corrections metering issues on its own when a price arrives for unpriced calls. */
    public static final String PRICE_ARRIVED = "price-arrived";

    private Reprice() {
    }

    /**
     * The correction that takes {@code call} from its ledgered cost to its cost at {@code rates}, or
     * empty when nothing changes (same price version and same amounts).
     *
     * @throws ArithmeticException when the exact cost does not fit a long
     */
    public static Optional<LedgerCorrection> correction(PricedUsage call, Optional<Rates> rates, String reason,
            Instant issuedAt) {
        CallCost repriced = CallCost.of(LedgeredCall.usageOf(call), rates);
        Cost now = repriced.charged();
        long costDelta = Math.subtractExact(now.total(), call.getCostNanos());
        long savingsDelta = Math.subtractExact(repriced.savingsNanos(), call.getSavingsNanos());
        boolean componentsUnchanged = now.input() == call.getInputCostNanos() && now.output() == call.getOutputCostNanos()
                && now.cacheRead() == call.getCacheReadCostNanos() && now.cacheWrite() == call.getCacheWriteCostNanos()
                && now.requestFees() == call.getRequestFeesCostNanos();
        if (componentsUnchanged && savingsDelta == 0 && repriced.priced() == call.getPriced()) {
            // Another price version with the same amounts changes no total: not worth a correction.
            return Optional.empty();
        }
        return Optional.of(LedgerCorrection.newBuilder()
                .setCorrectionId(CorrectionIds.of(call.getEventId(), now.priceVersion()))
                .setEventId(call.getEventId())
                .setEventTime(call.getEventTime())
                .setTenantId(call.getTenantId())
                .setTaskId(call.getTaskId())
                .setTaskClass(call.getTaskClass())
                .setRoute(call.getRoute())
                .setPromptVersion(call.getPromptVersion())
                .setProvider(call.getProvider())
                .setModel(call.getModel())
                .setAttempt(call.getAttempt())
                .setOldCostNanos(call.getCostNanos())
                .setNewCostNanos(now.total())
                .setCostDeltaNanos(costDelta)
                .setInputCostDeltaNanos(Math.subtractExact(now.input(), call.getInputCostNanos()))
                .setOutputCostDeltaNanos(Math.subtractExact(now.output(), call.getOutputCostNanos()))
                .setCacheReadCostDeltaNanos(Math.subtractExact(now.cacheRead(), call.getCacheReadCostNanos()))
                .setCacheWriteCostDeltaNanos(Math.subtractExact(now.cacheWrite(), call.getCacheWriteCostNanos()))
                .setRequestFeesCostDeltaNanos(Math.subtractExact(now.requestFees(), call.getRequestFeesCostNanos()))
                .setSavingsDeltaNanos(savingsDelta)
                .setWasPriced(call.getPriced())
                .setOldPriceVersion(call.getPriceVersion())
                .setNewPriceVersion(now.priceVersion())
                .setReason(reason)
                .setIssuedAt(issuedAt)
                .build());
    }

    /** The usage event a ledgered call was priced from, as far as pricing reads it. */
}
