package dev.costmeter.cli.catalog;

import java.time.Instant;
import java.util.Objects;

/**
 * One model's price as the catalog states it, converted to exact nano-USD per million tokens.
 *
 * @param index position in the catalog's {@code models} list (0-based), for messages
 * @param batchInputNanos null when the provider publishes no batch rate
 * @param batchOutputNanos null when the provider publishes no batch rate
 * @param longContext null when the model has no long-context tier
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
        String source) {

    /** Rates that replace the base rates when a call's prompt is above a threshold. */
    public record LongContextRates(
            long thresholdPromptTokens, long inputNanos, long outputNanos, long cacheReadNanos, long cacheWriteNanos) {
    }

    public CatalogEntry {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
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
