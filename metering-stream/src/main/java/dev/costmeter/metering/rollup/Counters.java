package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import java.nio.ByteBuffer;

/**
 * Additive totals of a set of calls: what a rollup window holds and what a pre-aggregated delta
 * carries. Mutable, exact integers only.
 */
public final class Counters {

    static final int FIELDS = 15;
    static final int BYTES = FIELDS * Long.BYTES;

    long calls;
    long retries;
    long failures;
    long responseCacheHits;
    long unpricedCalls;
    long inputTokens;
    long outputTokens;
    long cacheReadTokens;
    long cacheWriteTokens;
    long costNanos;
    long inputCostNanos;
    long outputCostNanos;
    long cacheReadCostNanos;
    long cacheWriteCostNanos;
    long savingsNanos;

    /** Counts one priced call. */
    public void add(PricedUsage call) {
        calls++;
        if (call.getAttempt() > 1) {
            retries++;
        }
        if (call.getStatus() != CallStatus.OK) {
            failures++;
        }
        if (call.getResponseCacheHit()) {
            responseCacheHits++;
        }
        if (!call.getPriced()) {
            unpricedCalls++;
        }
        inputTokens += call.getInputTokens();
        outputTokens += call.getOutputTokens();
        cacheReadTokens += call.getCacheReadTokens();
        cacheWriteTokens += call.getCacheWriteTokens();
        costNanos = Math.addExact(costNanos, call.getCostNanos());
        inputCostNanos += call.getInputCostNanos();
        outputCostNanos += call.getOutputCostNanos();
        cacheReadCostNanos += call.getCacheReadCostNanos();
        cacheWriteCostNanos += call.getCacheWriteCostNanos();
        savingsNanos = Math.addExact(savingsNanos, call.getSavingsNanos());
    }

    /** Adds {@code other} into this. */
    public void add(Counters other) {
        calls += other.calls;
        retries += other.retries;
        failures += other.failures;
        responseCacheHits += other.responseCacheHits;
        unpricedCalls += other.unpricedCalls;
        inputTokens += other.inputTokens;
        outputTokens += other.outputTokens;
        cacheReadTokens += other.cacheReadTokens;
        cacheWriteTokens += other.cacheWriteTokens;
        costNanos = Math.addExact(costNanos, other.costNanos);
        inputCostNanos = Math.addExact(inputCostNanos, other.inputCostNanos);
        outputCostNanos = Math.addExact(outputCostNanos, other.outputCostNanos);
        cacheReadCostNanos = Math.addExact(cacheReadCostNanos, other.cacheReadCostNanos);
        cacheWriteCostNanos = Math.addExact(cacheWriteCostNanos, other.cacheWriteCostNanos);
        savingsNanos = Math.addExact(savingsNanos, other.savingsNanos);
    }

    void writeTo(ByteBuffer buffer) {
        buffer.putLong(calls).putLong(retries).putLong(failures).putLong(responseCacheHits).putLong(unpricedCalls)
                .putLong(inputTokens).putLong(outputTokens).putLong(cacheReadTokens).putLong(cacheWriteTokens)
                .putLong(costNanos).putLong(inputCostNanos).putLong(outputCostNanos).putLong(cacheReadCostNanos)
                .putLong(cacheWriteCostNanos).putLong(savingsNanos);
    }

    static Counters readFrom(ByteBuffer buffer) {
        Counters c = new Counters();
        c.calls = buffer.getLong();
        c.retries = buffer.getLong();
        c.failures = buffer.getLong();
        c.responseCacheHits = buffer.getLong();
        c.unpricedCalls = buffer.getLong();
        c.inputTokens = buffer.getLong();
        c.outputTokens = buffer.getLong();
        c.cacheReadTokens = buffer.getLong();
        c.cacheWriteTokens = buffer.getLong();
        c.costNanos = buffer.getLong();
        c.inputCostNanos = buffer.getLong();
        c.outputCostNanos = buffer.getLong();
        c.cacheReadCostNanos = buffer.getLong();
        c.cacheWriteCostNanos = buffer.getLong();
        c.savingsNanos = buffer.getLong();
        return c;
    }

    public long calls() {
        return calls;
    }

    public long retries() {
        return retries;
    }

    public long failures() {
        return failures;
    }

    public long responseCacheHits() {
        return responseCacheHits;
    }

    public long unpricedCalls() {
        return unpricedCalls;
    }

    public long inputTokens() {
        return inputTokens;
    }

    public long outputTokens() {
        return outputTokens;
    }

    public long cacheReadTokens() {
        return cacheReadTokens;
    }

    public long cacheWriteTokens() {
        return cacheWriteTokens;
    }

    public long costNanos() {
        return costNanos;
    }

    public long inputCostNanos() {
        return inputCostNanos;
    }

    public long outputCostNanos() {
        return outputCostNanos;
    }

    public long cacheReadCostNanos() {
        return cacheReadCostNanos;
    }

    public long cacheWriteCostNanos() {
        return cacheWriteCostNanos;
    }

    public long savingsNanos() {
        return savingsNanos;
    }

    /**
     * Share of prompt tokens served from the provider's cache, in basis points (1/100 of a percent):
     * cache reads over all prompt tokens. Cache writes are a cost, never a hit.
     */
    public long cacheHitRateBps() {
        long prompt = inputTokens + cacheReadTokens + cacheWriteTokens;
        return prompt == 0 ? 0 : cacheReadTokens * 10_000 / prompt;
    }
}
