package dev.costmeter.pricing;

import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import dev.costmeter.contracts.ServiceTierRates;
import java.time.Instant;
import java.util.Map;

/**
 * One version of a model's price: the rates in force from {@code effectiveFrom}, in nano-USD per
 * million tokens, and its fees in nano-USD per request. The meaning of each rate is the
 * {@code PriceEntry} field's of the same name.
 *
 * @param cacheWrite the default-lifetime (Anthropic: 5-minute) cache-write rate
 * @param cacheWrite1h the 1-hour cache-write rate; null when the model has none
 * @param serviceTiers rates of the non-standard service tiers, by lower-case name
 * @param requestFees nano-USD per request, by request kind
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
        String priceVersion,
        Long cacheWrite1h,
        Map<String, ServiceTierRates> serviceTiers,
        Map<String, Long> requestFees) {

    public Rates {
        serviceTiers = serviceTiers == null ? Map.of() : Map.copyOf(serviceTiers);
        requestFees = requestFees == null ? Map.of() : Map.copyOf(requestFees);
    }

    /** Rates without 1-hour cache writes, service tiers or request fees. */
    public Rates(Instant effectiveFrom, long input, long output, long cacheRead, long cacheWrite, Long batchInput,
            Long batchOutput, LongContextTier longContext, String priceVersion) {
        this(effectiveFrom, input, output, cacheRead, cacheWrite, batchInput, batchOutput, longContext, priceVersion,
                null, Map.of(), Map.of());
    }

    public static Rates of(PriceEntry entry) {
        return new Rates(entry.getEffectiveFrom(), entry.getInputNanosPerMtok(), entry.getOutputNanosPerMtok(),
                entry.getCacheReadNanosPerMtok(), entry.getCacheWriteNanosPerMtok(), entry.getBatchInputNanosPerMtok(),
                entry.getBatchOutputNanosPerMtok(), entry.getLongContext(), entry.getPriceVersion(),
                entry.getCacheWrite1hNanosPerMtok(), entry.getServiceTiers(), entry.getRequestFees());
    }

    public static Rates of(PriceVersion version) {
        return new Rates(version.getEffectiveFrom(), version.getInputNanosPerMtok(), version.getOutputNanosPerMtok(),
                version.getCacheReadNanosPerMtok(), version.getCacheWriteNanosPerMtok(), version.getBatchInputNanosPerMtok(),
                version.getBatchOutputNanosPerMtok(), version.getLongContext(), version.getPriceVersion(),
                version.getCacheWrite1hNanosPerMtok(), version.getServiceTiers(), version.getRequestFees());
    }
}
