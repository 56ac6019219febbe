package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import java.nio.ByteBuffer;

/**
 * Additive totals of a set of calls: what a rollup window holds and what a pre-aggregated delta
 * carries. Mutable, exact integers only. The last six (format v2) are the levers: what the prompt
 * cache and the batch lane saved (signed, priced once per call by metering, see
 * {@code pricing/README.md#levers}), the calls and tokens they applied to, and the spend on retries.
 */
public final class Counters {

    /** Fields of rollup format v1, which corrections and state written before the levers still use. */
    static final int FIELDS_V1 = 15;
    static final int FIELDS = 21;
    static final int BYTES_V1 = FIELDS_V1 * Long.BYTES;
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
    long cacheCalls;
    long cacheSavingsNanos;
    long batchCalls;
    long batchTokens;
    long batchSavingsNanos;
    long retryCostNanos;

    /** Counts one priced call. */
    public void add(PricedUsage call) {
        calls++;
        if (call.getAttempt() > 1) {
            retries++;
            retryCostNanos = Math.addExact(retryCostNanos, call.getCostNanos());
        }
        if (call.getCacheReadTokens() > 0 || call.getCacheWriteTokens() > 0) {
            cacheCalls++;
        }
        if (call.getBatch()) {
            batchCalls++;
            batchTokens += call.getInputTokens() + call.getOutputTokens() + call.getCacheReadTokens()
                    + call.getCacheWriteTokens();
        }
        cacheSavingsNanos = Math.addExact(cacheSavingsNanos, call.getCacheSavingsNanos());
        batchSavingsNanos = Math.addExact(batchSavingsNanos, call.getBatchSavingsNanos());
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
        cacheCalls += other.cacheCalls;
        cacheSavingsNanos = Math.addExact(cacheSavingsNanos, other.cacheSavingsNanos);
        batchCalls += other.batchCalls;
        batchTokens += other.batchTokens;
        batchSavingsNanos = Math.addExact(batchSavingsNanos, other.batchSavingsNanos);
        retryCostNanos = Math.addExact(retryCostNanos, other.retryCostNanos);
    }

    void writeTo(ByteBuffer buffer) {
        buffer.putLong(calls).putLong(retries).putLong(failures).putLong(responseCacheHits).putLong(unpricedCalls)
                .putLong(inputTokens).putLong(outputTokens).putLong(cacheReadTokens).putLong(cacheWriteTokens)
                .putLong(costNanos).putLong(inputCostNanos).putLong(outputCostNanos).putLong(cacheReadCostNanos)
                .putLong(cacheWriteCostNanos).putLong(savingsNanos)
                .putLong(cacheCalls).putLong(cacheSavingsNanos).putLong(batchCalls).putLong(batchTokens)
                .putLong(batchSavingsNanos).putLong(retryCostNanos);
    }

    /** Reads the v2 fields; {@link #readV1From} reads the fifteen of v1 (the lever fields stay 0). */
    static Counters readFrom(ByteBuffer buffer) {
        Counters c = readV1From(buffer);
        c.cacheCalls = buffer.getLong();
        c.cacheSavingsNanos = buffer.getLong();
        c.batchCalls = buffer.getLong();
        c.batchTokens = buffer.getLong();
        c.batchSavingsNanos = buffer.getLong();
        c.retryCostNanos = buffer.getLong();
        return c;
    }

    static Counters readV1From(ByteBuffer buffer) {
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

    /** Calls with cache-read or cache-write tokens. */
    public long cacheCalls() {
        return cacheCalls;
    }

    /** What the prompt cache saved, signed (negative when writes cost more than reads saved). */
    public long cacheSavingsNanos() {
        return cacheSavingsNanos;
    }

    public long batchCalls() {
        return batchCalls;
    }

    /** Every token of the batch calls (input, output, cache reads and writes). */
    public long batchTokens() {
        return batchTokens;
    }

    public long batchSavingsNanos() {
        return batchSavingsNanos;
    }

    /** The spend on calls with attempt > 1. */
    public long retryCostNanos() {
        return retryCostNanos;
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
