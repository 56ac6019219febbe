package dev.costmeter.pricing;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import java.time.Instant;
import java.util.Optional;

/**
 * A ledgered call as the usage event it was priced from, with every field that decides a price
 * (tokens by kind, the 1-hour part of the cache writes, batch, service tier, requests billed per
 * request, response-cache hit): what repricing a past call with another price version starts from.
 * One place, so that metering's automatic corrections and {@code costctl prices correct} cannot
 * reprice the same call two ways.
 */
public final class LedgeredCall {

    private LedgeredCall() {
    }

    public static UsageEvent usageOf(PricedUsage call) {
        UsageEvent event = new UsageEvent();
        event.setEventId(call.getEventId());
        event.setEventTime(call.getEventTime());
        event.setTenantId(call.getTenantId());
        event.setTaskId(call.getTaskId());
        event.setTaskClass(call.getTaskClass());
        event.setRoute(call.getRoute());
        event.setPromptVersion(call.getPromptVersion());
        event.setEndUserId(call.getEndUserId());
        event.setProvider(call.getProvider());
        event.setModel(call.getModel());
        event.setInputTokens(call.getInputTokens());
        event.setOutputTokens(call.getOutputTokens());
        event.setCacheReadTokens(call.getCacheReadTokens());
        event.setCacheWriteTokens(call.getCacheWriteTokens());
        event.setCacheWrite1hTokens(call.getCacheWrite1hTokens());
        event.setReasoningTokens(call.getReasoningTokens());
        event.setBatch(call.getBatch());
        event.setServiceTier(call.getServiceTier());
        event.setRequestCounts(call.getRequestCounts());
        event.setAttempt(call.getAttempt());
        event.setStatus(call.getStatus());
        event.setResponseCacheHit(call.getResponseCacheHit());
        event.setLabels(call.getLabels());
        return event;
    }

    /**
     * The correction that takes {@code call} from its ledgered (or already corrected) cost to its cost
     * at {@code rates}, or empty when nothing changes (same amounts): id {@code event_id@price_version}
     * ({@code @unpriced} without a price), so the same repricing always has the same id, whether
     * metering issues it on its own or {@code costctl prices correct} does.
     *
     * @throws ArithmeticException when the exact cost does not fit a long
     */
    public static Optional<LedgerCorrection> correction(PricedUsage call, Optional<Rates> rates, String reason,
            Instant issuedAt) {
        CallCost repriced = CallCost.of(usageOf(call), rates);
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
                .setCorrectionId(call.getEventId() + "@" + (now.priceVersion() == null ? "unpriced" : now.priceVersion()))
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
}
