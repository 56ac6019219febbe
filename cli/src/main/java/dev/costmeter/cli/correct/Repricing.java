package dev.costmeter.cli.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.CallCost;
import dev.costmeter.pricing.LedgeredCall;
import dev.costmeter.pricing.Cost;
import dev.costmeter.pricing.Rates;
import java.time.Instant;
import java.util.Optional;

/**
 * Reprices a call, as it stands after the corrections already applied to it, with the shared
 * pricing rule ({@link CallCost}) and states the difference as a {@link LedgerCorrection}. The same
 * statement as metering-stream's {@code correct.Reprice}, whose automatic corrections must carry the
 * same ids for the same repricing ({@code event_id@price_version}).
 */
public final class Repricing {

    private Repricing() {
    }

    /** The correction taking {@code current} to its cost at {@code rates}, or empty when no amount changes. */
    public static Optional<LedgerCorrection> correction(PricedUsage current, Optional<Rates> rates, String reason,
            Instant issuedAt) {
        CallCost repriced = CallCost.of(LedgeredCall.usageOf(current), rates);
        Cost now = repriced.charged();
        long savingsDelta = Math.subtractExact(repriced.savingsNanos(), current.getSavingsNanos());
        boolean unchanged = now.input() == current.getInputCostNanos() && now.output() == current.getOutputCostNanos()
                && now.cacheRead() == current.getCacheReadCostNanos() && now.cacheWrite() == current.getCacheWriteCostNanos()
                && now.requestFees() == current.getRequestFeesCostNanos()
                && savingsDelta == 0 && repriced.priced() == current.getPriced();
        if (unchanged) {
            return Optional.empty();
        }
        String version = now.priceVersion();
        return Optional.of(LedgerCorrection.newBuilder()
                .setCorrectionId(current.getEventId() + "@" + (version == null ? "unpriced" : version))
                .setEventId(current.getEventId())
                .setEventTime(current.getEventTime())
                .setTenantId(current.getTenantId())
                .setTaskId(current.getTaskId())
                .setTaskClass(current.getTaskClass())
                .setRoute(current.getRoute())
                .setPromptVersion(current.getPromptVersion())
                .setProvider(current.getProvider())
                .setModel(current.getModel())
                .setAttempt(current.getAttempt())
                .setOldCostNanos(current.getCostNanos())
                .setNewCostNanos(now.total())
                .setCostDeltaNanos(Math.subtractExact(now.total(), current.getCostNanos()))
                .setInputCostDeltaNanos(Math.subtractExact(now.input(), current.getInputCostNanos()))
                .setOutputCostDeltaNanos(Math.subtractExact(now.output(), current.getOutputCostNanos()))
                .setCacheReadCostDeltaNanos(Math.subtractExact(now.cacheRead(), current.getCacheReadCostNanos()))
                .setCacheWriteCostDeltaNanos(Math.subtractExact(now.cacheWrite(), current.getCacheWriteCostNanos()))
                .setRequestFeesCostDeltaNanos(Math.subtractExact(now.requestFees(), current.getRequestFeesCostNanos()))
                .setSavingsDeltaNanos(savingsDelta)
                .setWasPriced(current.getPriced())
                .setOldPriceVersion(current.getPriceVersion())
                .setNewPriceVersion(version)
                .setReason(reason)
                .setIssuedAt(issuedAt)
                .build());
    }

}
