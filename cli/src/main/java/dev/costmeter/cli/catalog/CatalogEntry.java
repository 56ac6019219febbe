package dev.costmeter.cli.catalog;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One model's price as the catalog states it, converted to exact nano-USD per million tokens.
 *
 * @param index position in the catalog's {@code models} list (0-based), for messages
 * @param batchInputNanos null when the provider publishes no batch rate
 * @param batchOutputNanos null when the provider publishes no batch rate
 * @param longContext null when the model has no long-context tier
 * @param cacheWrite1hNanos 1-hour cache writes; null when the model has no such rate
 * @param requestFeeNanos nano-USD per request, by request kind (e.g. {@code web_search})
 * @param sourceDate the date the source was read or the dataset snapshot taken; null if not stated
 */
public record CatalogEntry(
        int index,
        String provider,
        String model,
        Instant effectiveFrom,
        long inputNanos,
        long outputNanos,
        long cacheReadNanos,
        long cacheWriteNanos,
        Long batchInputNanos,
        Long batchOutputNanos,
        LongContextRates longContext,
        String source,
        Long cacheWrite1hNanos,
        Map<String, Long> requestFeeNanos,
        LocalDate sourceDate) {

    /**
     * Rates that replace the base rates for the whole call when its prompt is above a threshold.
     *
     * @param cacheWrite1hNanos null when the tier has no 1-hour cache-write rate
     * @param withBatch how the tier combines with batch: {@code TIER_REPLACES}, {@code MULTIPLY} or
     *     {@code NOT_AVAILABLE} (the {@code LongContextCombination} symbols)
     * @param withServiceTier how the tier combines with a non-standard service tier, same symbols
     */
    public record LongContextRates(
            long thresholdPromptTokens, long inputNanos, long outputNanos, long cacheReadNanos, long cacheWriteNanos,
            Long cacheWrite1hNanos, String withBatch, String withServiceTier) {

        public static final String TIER_REPLACES = "TIER_REPLACES";

        public LongContextRates {
            withBatch = withBatch == null ? TIER_REPLACES : withBatch;
            withServiceTier = withServiceTier == null ? TIER_REPLACES : withServiceTier;
        }

        /** A tier without a 1-hour write rate that replaces the batch and service-tier rates. */
        public LongContextRates(long thresholdPromptTokens, long inputNanos, long outputNanos, long cacheReadNanos,
                long cacheWriteNanos) {
            this(thresholdPromptTokens, inputNanos, outputNanos, cacheReadNanos, cacheWriteNanos, null, null, null);
        }
    }

    public CatalogEntry {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        requestFeeNanos = requestFeeNanos == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(requestFeeNanos));
    }

    /** An entry without 1-hour cache writes, request fees or a source date. */
    public CatalogEntry(int index, String provider, String model, Instant effectiveFrom, long inputNanos, long outputNanos,
            long cacheReadNanos, long cacheWriteNanos, Long batchInputNanos, Long batchOutputNanos,
            LongContextRates longContext, String source) {
        this(index, provider, model, effectiveFrom, inputNanos, outputNanos, cacheReadNanos, cacheWriteNanos,
                batchInputNanos, batchOutputNanos, longContext, source, null, Map.of(), null);
    }

    /** The record key on the prices topic: {@code provider/model}. */
    public String key() {
        return provider + "/" + model;
    }

    /** {@code <provider>/<model>@<effective_from>}, e.g. {@code openai/gpt-4o@2026-11-27T00:00:00Z}. */
    public String priceVersion() {
        return priceVersion(provider, model, effectiveFrom);
    }

    /** The price_version of {@code provider/model} effective from {@code effectiveFrom}. */
    public static String priceVersion(String provider, String model, Instant effectiveFrom) {
        return provider + "/" + model + "@" + effectiveFrom;
    }
}
