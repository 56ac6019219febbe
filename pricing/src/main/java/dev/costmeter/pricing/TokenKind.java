package dev.costmeter.pricing;

import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.ServiceTierRates;

/** The kinds of token a call is billed for, each with where its rate is found in a price. */
enum TokenKind {
    INPUT("input"),
    OUTPUT("output"),
    CACHE_READ("cache-read"),
    /** Cache writes at the default lifetime (Anthropic's 5 minutes). */
    CACHE_WRITE("cache-write"),
    CACHE_WRITE_1H("1-hour cache-write");

    private final String label;

    TokenKind(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    long tokens(Call call) {
        return switch (this) {
            case INPUT -> call.tokens().input();
            case OUTPUT -> call.tokens().output();
            case CACHE_READ -> call.tokens().cacheRead();
            case CACHE_WRITE -> call.cacheWriteDefault();
            case CACHE_WRITE_1H -> call.cacheWrite1h();
        };
    }

    /** The standard-tier rate, or null when the price has none. */
    Long base(Rates rates) {
        return hasBase(rates) ? Long.valueOf(baseRate(rates)) : null;
    }

    /** Whether the price has a standard-tier rate for this kind (only the 1-hour cache-write rate may be missing). */
    boolean hasBase(Rates rates) {
        return this != CACHE_WRITE_1H || rates.cacheWrite1h() != null;
    }

    /** The standard-tier rate, unboxed; only when {@link #hasBase}. */
    long baseRate(Rates rates) {
        return switch (this) {
            case INPUT -> rates.input();
            case OUTPUT -> rates.output();
            case CACHE_READ -> rates.cacheRead();
            case CACHE_WRITE -> rates.cacheWrite();
            case CACHE_WRITE_1H -> rates.cacheWrite1h();
        };
    }

    /** The batch rate: published for input and output; every other kind (and a missing batch rate) is the base rate. */
    Long batch(Rates rates) {
        return switch (this) {
            case INPUT -> rates.batchInput() != null ? rates.batchInput() : rates.input();
            case OUTPUT -> rates.batchOutput() != null ? rates.batchOutput() : rates.output();
            default -> base(rates);
        };
    }

    /** The rate of a service tier, or null when the tier has none. */
    Long serviceTier(ServiceTierRates tier) {
        return switch (this) {
            case INPUT -> tier.getInputNanosPerMtok();
            case OUTPUT -> tier.getOutputNanosPerMtok();
            case CACHE_READ -> tier.getCacheReadNanosPerMtok();
            case CACHE_WRITE -> tier.getCacheWriteNanosPerMtok();
            case CACHE_WRITE_1H -> tier.getCacheWrite1hNanosPerMtok();
        };
    }

    /** The long-context tier's rate, or null when the tier has none. */
    Long longContext(LongContextTier tier) {
        return switch (this) {
            case INPUT -> tier.getInputNanosPerMtok();
            case OUTPUT -> tier.getOutputNanosPerMtok();
            case CACHE_READ -> tier.getCacheReadNanosPerMtok();
            case CACHE_WRITE -> tier.getCacheWriteNanosPerMtok();
            case CACHE_WRITE_1H -> tier.getCacheWrite1hNanosPerMtok();
        };
    }
}
