package dev.costmeter.pricing;

import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import java.time.Instant;

/**
 * One version of a model's price: the rates in force from {@code effectiveFrom}, in nano-USD per
 * million tokens.
 */
public record Rates(
        Instant effectiveFrom,
        long input,
        long output,
        long cacheRead,
        long cacheWrite,
        Long batchInput,
        Long batchOutput,
        LongContextTier longContext,
        String priceVersion) {

    public static Rates of(PriceEntry entry) {
        return new Rates(entry.getEffectiveFrom(), entry.getInputNanosPerMtok(), entry.getOutputNanosPerMtok(),
                entry.getCacheReadNanosPerMtok(), entry.getCacheWriteNanosPerMtok(), entry.getBatchInputNanosPerMtok(),
                entry.getBatchOutputNanosPerMtok(), entry.getLongContext(), entry.getPriceVersion());
    }

    public static Rates of(PriceVersion version) {
        return new Rates(version.getEffectiveFrom(), version.getInputNanosPerMtok(), version.getOutputNanosPerMtok(),
                version.getCacheReadNanosPerMtok(), version.getCacheWriteNanosPerMtok(), version.getBatchInputNanosPerMtok(),
                version.getBatchOutputNanosPerMtok(), version.getLongContext(), version.getPriceVersion());
    }
}
