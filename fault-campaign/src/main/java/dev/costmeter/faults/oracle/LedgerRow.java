package dev.costmeter.faults.oracle;

import dev.costmeter.contracts.PricedUsage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The fields of one ledger row that the campaign checks, in any store (the ledger topic, the
 * PostgreSQL table), and as the oracle expects them. {@code pricedAt} and labels are left out: the
 * first is the moment of pricing, the second is checked by the sink's own tests.
 */
public record LedgerRow(String eventId, Instant eventTime, String tenantId, String taskId, String taskClass, String route,
        String promptVersion, String endUserId, String provider, String model, long inputTokens, long outputTokens,
        long cacheReadTokens, long cacheWriteTokens, long reasoningTokens, boolean batch, int attempt, Integer step,
        String toolName, String status, boolean responseCacheHit, long costNanos, long inputCostNanos,
        long outputCostNanos, long cacheReadCostNanos, long cacheWriteCostNanos, long savingsNanos, boolean priced,
        String priceVersion, boolean longContext, Long providerCostNanos) {

    public static LedgerRow of(PricedUsage row) {
        return new LedgerRow(row.getEventId(), row.getEventTime(), row.getTenantId(), row.getTaskId(), row.getTaskClass(),
                row.getRoute(), row.getPromptVersion(), row.getEndUserId(), row.getProvider(), row.getModel(),
                row.getInputTokens(), row.getOutputTokens(), row.getCacheReadTokens(), row.getCacheWriteTokens(),
                row.getReasoningTokens(), row.getBatch(), row.getAttempt(), row.getStep(), row.getToolName(),
                row.getStatus().name(), row.getResponseCacheHit(), row.getCostNanos(), row.getInputCostNanos(),
                row.getOutputCostNanos(), row.getCacheReadCostNanos(), row.getCacheWriteCostNanos(), row.getSavingsNanos(),
                row.getPriced(), row.getPriceVersion(), row.getLongContext(), row.getProviderCostNanos());
    }

    /** {@code provider/model}. */
    public String modelKey() {
        return provider + "/" + model;
    }

    /** Whether any amount of money differs: a wrong charge, as opposed to a wrong attribute. */
    public boolean sameMoney(LedgerRow other) {
        return costNanos == other.costNanos && inputCostNanos == other.inputCostNanos
                && outputCostNanos == other.outputCostNanos && cacheReadCostNanos == other.cacheReadCostNanos
                && cacheWriteCostNanos == other.cacheWriteCostNanos && savingsNanos == other.savingsNanos;
    }

    /** The fields that differ, as {@code name expected→actual}. */
    public List<String> differences(LedgerRow actual) {
        List<String> diff = new ArrayList<>();
        compare(diff, "event_time", eventTime, actual.eventTime);
        compare(diff, "tenant_id", tenantId, actual.tenantId);
        compare(diff, "task_id", taskId, actual.taskId);
        compare(diff, "task_class", taskClass, actual.taskClass);
        compare(diff, "route", route, actual.route);
        compare(diff, "prompt_version", promptVersion, actual.promptVersion);
        compare(diff, "end_user_id", endUserId, actual.endUserId);
        compare(diff, "provider", provider, actual.provider);
        compare(diff, "model", model, actual.model);
        compare(diff, "input_tokens", inputTokens, actual.inputTokens);
        compare(diff, "output_tokens", outputTokens, actual.outputTokens);
        compare(diff, "cache_read_tokens", cacheReadTokens, actual.cacheReadTokens);
        compare(diff, "cache_write_tokens", cacheWriteTokens, actual.cacheWriteTokens);
        compare(diff, "reasoning_tokens", reasoningTokens, actual.reasoningTokens);
        compare(diff, "batch", batch, actual.batch);
        compare(diff, "attempt", attempt, actual.attempt);
        compare(diff, "step", step, actual.step);
        compare(diff, "tool_name", toolName, actual.toolName);
        compare(diff, "status", status, actual.status);
        compare(diff, "response_cache_hit", responseCacheHit, actual.responseCacheHit);
        compare(diff, "cost_nanos", costNanos, actual.costNanos);
        compare(diff, "input_cost_nanos", inputCostNanos, actual.inputCostNanos);
        compare(diff, "output_cost_nanos", outputCostNanos, actual.outputCostNanos);
        compare(diff, "cache_read_cost_nanos", cacheReadCostNanos, actual.cacheReadCostNanos);
        compare(diff, "cache_write_cost_nanos", cacheWriteCostNanos, actual.cacheWriteCostNanos);
        compare(diff, "savings_nanos", savingsNanos, actual.savingsNanos);
        compare(diff, "priced", priced, actual.priced);
        compare(diff, "price_version", priceVersion, actual.priceVersion);
        compare(diff, "long_context", longContext, actual.longContext);
        compare(diff, "provider_cost_nanos", providerCostNanos, actual.providerCostNanos);
        return diff;
    }

    private static void compare(List<String> diff, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            diff.add(field + " " + expected + "→" + actual);
        }
    }
}
