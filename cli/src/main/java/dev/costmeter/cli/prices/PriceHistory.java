package dev.costmeter.cli.prices;

import dev.costmeter.cli.catalog.CatalogEntry;
import dev.costmeter.contracts.LongContextCombination;
import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every version of one model's price, newest first, as carried by a {@link PriceEntry}: the
 * top-level rates are the newest version and {@code superseded} holds the others. Merging a catalog
 * entry into it never drops a version, so compaction of the prices topic never loses the price that
 * was in force when a late event happened.
 */
public final class PriceHistory {

    private static final Comparator<PriceVersion> NEWEST_FIRST =
            Comparator.comparing(PriceVersion::getEffectiveFrom).reversed();

    private final String provider;
    private final String model;
    private final List<PriceVersion> versions;

    private PriceHistory(String provider, String model, List<PriceVersion> versions) {
        this.provider = provider;
        this.model = model;
        List<PriceVersion> sorted = new ArrayList<>(versions);
        sorted.sort(NEWEST_FIRST);
        this.versions = List.copyOf(sorted);
    }

    /** The history a record of the prices topic carries. */
    public static PriceHistory of(PriceEntry entry) {
        List<PriceVersion> versions = new ArrayList<>();
        versions.add(topLevel(entry));
        versions.addAll(entry.getSuperseded());
        return new PriceHistory(entry.getProvider(), entry.getModel(), versions);
    }

    /** What happened to one catalog entry when it was merged. */
    public enum Action {
        /** The model had no price yet. */
        ADDED,
        /** A version was added to the model's history, or one at the same effective_from replaced. */
        UPDATED,
        /** The history already holds this exact version. */
        UNCHANGED
    }

    /** The outcome of merging one catalog entry: the action and the history after it. */
    public record Merge(Action action, PriceHistory history) {
    }

    /**
     * Merges {@code entry} into {@code existing} (null when the topic has no record for the model):
     * a version at the same effective_from is replaced, any other is kept.
     */
    public static Merge merge(PriceHistory existing, CatalogEntry entry) {
        PriceVersion incoming = versionOf(entry);
        if (existing == null) {
            return new Merge(Action.ADDED, new PriceHistory(entry.provider(), entry.model(), List.of(incoming)));
        }
        if (!existing.provider.equals(entry.provider()) || !existing.model.equals(entry.model())) {
            throw new IllegalArgumentException("Cannot merge " + entry.key() + " into the history of " + existing.key());
        }
        if (existing.versions.contains(incoming)) {
            return new Merge(Action.UNCHANGED, existing);
        }
        List<PriceVersion> merged = new ArrayList<>();
        for (PriceVersion version : existing.versions) {
            if (!version.getEffectiveFrom().equals(incoming.getEffectiveFrom())) {
                merged.add(version);
            }
        }
        merged.add(incoming);
        return new Merge(Action.UPDATED, new PriceHistory(entry.provider(), entry.model(), merged));
    }

    /** {@code provider/model}, the record key. */
    public String key() {
        return provider + "/" + model;
    }

    public String provider() {
        return provider;
    }

    public String model() {
        return model;
    }

    /** All versions, newest effective_from first. */
    public List<PriceVersion> versions() {
        return versions;
    }

    /** The version whose effective_from is the latest at or before {@code at}, if any. */
    public Optional<PriceVersion> versionAt(Instant at) {
        return versions.stream().filter(v -> !v.getEffectiveFrom().isAfter(at)).findFirst();
    }

    /** The record to publish: the newest version at the top level, the others superseded, newest first. */
    public PriceEntry toPriceEntry() {
        PriceVersion newest = versions.get(0);
        return PriceEntry.newBuilder()
                .setProvider(provider)
                .setModel(model)
                .setEffectiveFrom(newest.getEffectiveFrom())
                .setInputNanosPerMtok(newest.getInputNanosPerMtok())
                .setOutputNanosPerMtok(newest.getOutputNanosPerMtok())
                .setCacheReadNanosPerMtok(newest.getCacheReadNanosPerMtok())
                .setCacheWriteNanosPerMtok(newest.getCacheWriteNanosPerMtok())
                .setBatchInputNanosPerMtok(newest.getBatchInputNanosPerMtok())
                .setBatchOutputNanosPerMtok(newest.getBatchOutputNanosPerMtok())
                .setLongContext(copy(newest.getLongContext()))
                .setPriceVersion(newest.getPriceVersion())
                .setSource(newest.getSource())
                .setCacheWrite1hNanosPerMtok(newest.getCacheWrite1hNanosPerMtok())
                .setServiceTiers(newest.getServiceTiers())
                .setRequestFees(newest.getRequestFees())
                .setSourceDate(newest.getSourceDate())
                .setSuperseded(new ArrayList<>(versions.subList(1, versions.size())))
                .build();
    }

    /** The version a catalog entry describes. */
    static PriceVersion versionOf(CatalogEntry entry) {
        LongContextTier tier = null;
        if (entry.longContext() != null) {
            CatalogEntry.LongContextRates lc = entry.longContext();
            tier = LongContextTier.newBuilder()
                    .setThresholdPromptTokens(lc.thresholdPromptTokens())
                    .setInputNanosPerMtok(lc.inputNanos())
                    .setOutputNanosPerMtok(lc.outputNanos())
                    .setCacheReadNanosPerMtok(lc.cacheReadNanos())
                    .setCacheWriteNanosPerMtok(lc.cacheWriteNanos())
                    .setCacheWrite1hNanosPerMtok(lc.cacheWrite1hNanos())
                    .setWithBatch(LongContextCombination.valueOf(lc.withBatch()))
                    .setWithServiceTier(LongContextCombination.valueOf(lc.withServiceTier()))
                    .build();
        }
        return PriceVersion.newBuilder()
                .setEffectiveFrom(entry.effectiveFrom())
                .setInputNanosPerMtok(entry.inputNanos())
                .setOutputNanosPerMtok(entry.outputNanos())
                .setCacheReadNanosPerMtok(entry.cacheReadNanos())
                .setCacheWriteNanosPerMtok(entry.cacheWriteNanos())
                .setBatchInputNanosPerMtok(entry.batchInputNanos())
                .setBatchOutputNanosPerMtok(entry.batchOutputNanos())
                .setLongContext(tier)
                .setPriceVersion(entry.priceVersion())
                .setSource(entry.source())
                .setCacheWrite1hNanosPerMtok(entry.cacheWrite1hNanos())
                .setRequestFees(new java.util.HashMap<>(entry.requestFeeNanos()))
                .setSourceDate(entry.sourceDate() == null ? null : entry.sourceDate().toString())
                .build();
    }

    private static PriceVersion topLevel(PriceEntry entry) {
        return PriceVersion.newBuilder()
                .setEffectiveFrom(entry.getEffectiveFrom())
                .setInputNanosPerMtok(entry.getInputNanosPerMtok())
                .setOutputNanosPerMtok(entry.getOutputNanosPerMtok())
                .setCacheReadNanosPerMtok(entry.getCacheReadNanosPerMtok())
                .setCacheWriteNanosPerMtok(entry.getCacheWriteNanosPerMtok())
                .setBatchInputNanosPerMtok(entry.getBatchInputNanosPerMtok())
                .setBatchOutputNanosPerMtok(entry.getBatchOutputNanosPerMtok())
                .setLongContext(copy(entry.getLongContext()))
                .setPriceVersion(entry.getPriceVersion())
                .setSource(entry.getSource())
                .setCacheWrite1hNanosPerMtok(entry.getCacheWrite1hNanosPerMtok())
                .setServiceTiers(entry.getServiceTiers())
                .setRequestFees(entry.getRequestFees())
                .setSourceDate(entry.getSourceDate())
                .build();
    }

    private static LongContextTier copy(LongContextTier tier) {
        return tier == null ? null : LongContextTier.newBuilder(tier).build();
    }
}
