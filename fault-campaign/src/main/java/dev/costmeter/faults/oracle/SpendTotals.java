package dev.costmeter.faults.oracle;

/**
 * Additive totals of a set of calls, the shape of a rollup window (the query API's counters and the
 * PostgreSQL {@code rollups} row): compared whole, so that any counter off by one is caught.
 */
public record SpendTotals(long calls, long retries, long failures, long responseCacheHits, long unpricedCalls,
        long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long costNanos,
        long inputCostNanos, long outputCostNanos, long cacheReadCostNanos, long cacheWriteCostNanos, long savingsNanos) {

    public static final SpendTotals ZERO = new SpendTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** These totals with one more call. */
    public SpendTotals plus(LedgerRow call) {
        return new SpendTotals(calls + 1, retries + (call.attempt() > 1 ? 1 : 0),
                failures + ("OK".equals(call.status()) ? 0 : 1), responseCacheHits + (call.responseCacheHit() ? 1 : 0),
                unpricedCalls + (call.priced() ? 0 : 1), inputTokens + call.inputTokens(), outputTokens + call.outputTokens(),
                cacheReadTokens + call.cacheReadTokens(), cacheWriteTokens + call.cacheWriteTokens(),
                Math.addExact(costNanos, call.costNanos()), Math.addExact(inputCostNanos, call.inputCostNanos()),
                Math.addExact(outputCostNanos, call.outputCostNanos()), Math.addExact(cacheReadCostNanos, call.cacheReadCostNanos()),
                Math.addExact(cacheWriteCostNanos, call.cacheWriteCostNanos()), Math.addExact(savingsNanos, call.savingsNanos()));
    }
}
