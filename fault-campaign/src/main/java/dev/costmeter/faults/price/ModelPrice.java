package dev.costmeter.faults.price;

import java.time.Instant;
import java.util.Objects;

/**
 * One model's price as the campaign publishes it: rates in nano-USD per million tokens, the unit of
 * {@code PriceEntry}. Kept apart from the project's own price classes on purpose: the campaign's
 * oracle must not share code with what it checks.
 *
 * @param batchInput  batch-API input rate, or null when the model has none (the full rate applies)
 * @param batchOutput batch-API output rate, or null when the model has none
 * @param longContext the long-context tier, or null
 */
public record ModelPrice(String provider, String model, Instant effectiveFrom, long input, long output, long cacheRead,
        long cacheWrite, Long batchInput, Long batchOutput, LongContext longContext) {

    /** Rates that replace all four base rates when a call's prompt is above {@code thresholdPromptTokens}. */
    public record LongContext(long thresholdPromptTokens, long input, long output, long cacheRead, long cacheWrite) {
    }

    public ModelPrice {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
    }

    /** {@code provider/model}: the prices topic's key and the rollups' model scope. */
    public String key() {
        return provider + "/" + model;
    }

    /** The version id costctl gives a catalog entry: {@code <provider>/<model>@<effective_from>}. */
    public String priceVersion() {
        return key() + "@" + effectiveFrom;
    }
}
