package dev.costmeter.local.demo;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One scope's spend as metering-stream's {@code GET /v1/spend} reports it in its {@code total}:
 * calls, cost, and the cache reads and writes in tokens and in nano-USD.
 */
record SpendRow(String scope, long calls, long costNanos, long cacheReadTokens, long cacheReadCostNanos,
        long cacheWriteTokens, long cacheWriteCostNanos) {

    /** The row for {@code scope} from a whole {@code /v1/spend} answer (its {@code total} object). */
    static SpendRow fromSpendAnswer(String scope, JsonNode answer) {
        JsonNode total = answer.path("total");
        return new SpendRow(scope, total.path("calls").asLong(), total.path("cost_nanos").asLong(),
                total.path("cache_read_tokens").asLong(), total.path("cache_read_cost_nanos").asLong(),
                total.path("cache_write_tokens").asLong(), total.path("cache_write_cost_nanos").asLong());
    }

    SpendRow plus(SpendRow other) {
        return new SpendRow(scope, calls + other.calls, Math.addExact(costNanos, other.costNanos),
                cacheReadTokens + other.cacheReadTokens, Math.addExact(cacheReadCostNanos, other.cacheReadCostNanos),
                cacheWriteTokens + other.cacheWriteTokens, Math.addExact(cacheWriteCostNanos, other.cacheWriteCostNanos));
    }

    /** The same figures (calls, cost, cache tokens and costs), whatever the scope. */
    boolean sameFigures(SpendRow other) {
        return calls == other.calls && costNanos == other.costNanos && cacheReadTokens == other.cacheReadTokens
                && cacheReadCostNanos == other.cacheReadCostNanos && cacheWriteTokens == other.cacheWriteTokens
                && cacheWriteCostNanos == other.cacheWriteCostNanos;
    }
}
