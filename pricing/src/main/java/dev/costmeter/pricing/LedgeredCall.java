package dev.costmeter.pricing;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;

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
}
