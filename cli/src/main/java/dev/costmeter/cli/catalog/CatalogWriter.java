package dev.costmeter.cli.catalog;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes a catalog in the format {@link CatalogParser} reads, every rate as the exact decimal
 * string of its nano-USD (so writing and parsing again gives the same entries).
 */
public final class CatalogWriter {

    private CatalogWriter() {
    }

    /** The catalog's YAML text, after {@code header} (comment lines without their '#'). */
    public static String write(Catalog catalog, List<String> header) {
        StringBuilder yaml = new StringBuilder();
        header.forEach(line -> yaml.append(line.isEmpty() ? "#" : "# " + line).append('\n'));
        yaml.append('\n').append("as_of: ").append(catalog.asOf()).append('\n').append("models:\n");
        for (CatalogEntry entry : catalog.entries()) {
            yaml.append('\n');
            yaml.append("  - provider: ").append(quoted(entry.provider())).append('\n');
            yaml.append("    model: ").append(quoted(entry.model())).append('\n');
            yaml.append("    effective_from: ").append(entry.effectiveFrom()).append('\n');
            rate(yaml, "    ", "input_per_mtok", entry.inputNanos());
            rate(yaml, "    ", "output_per_mtok", entry.outputNanos());
            rate(yaml, "    ", "cache_read_per_mtok", entry.cacheReadNanos());
            rate(yaml, "    ", "cache_write_per_mtok", entry.cacheWriteNanos());
            rate(yaml, "    ", "cache_write_1h_per_mtok", entry.cacheWrite1hNanos());
            rate(yaml, "    ", "batch_input_per_mtok", entry.batchInputNanos());
            rate(yaml, "    ", "batch_output_per_mtok", entry.batchOutputNanos());
            if (entry.longContext() != null) {
                CatalogEntry.LongContextRates tier = entry.longContext();
                yaml.append("    long_context:\n");
                yaml.append("      threshold_prompt_tokens: ").append(tier.thresholdPromptTokens()).append('\n');
                rate(yaml, "      ", "input_per_mtok", tier.inputNanos());
                rate(yaml, "      ", "output_per_mtok", tier.outputNanos());
                rate(yaml, "      ", "cache_read_per_mtok", tier.cacheReadNanos());
                rate(yaml, "      ", "cache_write_per_mtok", tier.cacheWriteNanos());
                rate(yaml, "      ", "cache_write_1h_per_mtok", tier.cacheWrite1hNanos());
                yaml.append("      with_batch: ").append(tier.withBatch()).append('\n');
                yaml.append("      with_service_tier: ").append(tier.withServiceTier()).append('\n');
            }
            if (!entry.requestFeeNanos().isEmpty()) {
                yaml.append("    request_fees:\n");
                for (Map.Entry<String, Long> fee : entry.requestFeeNanos().entrySet()) {
                    rate(yaml, "      ", fee.getKey(), fee.getValue());
                }
            }
            yaml.append("    source: ").append(quoted(entry.source())).append('\n');
            if (entry.sourceDate() != null) {
                yaml.append("    source_date: ").append(entry.sourceDate()).append('\n');
            }
        }
        return yaml.toString();
    }

    private static void rate(StringBuilder yaml, String indent, String key, Long nanos) {
        if (nanos != null) {
            yaml.append(indent).append(key).append(": ").append(quoted(usd(nanos))).append('\n');
        }
    }

    /** The exact USD decimal of {@code nanos}, without trailing zeros: 2500000000 is "2.5". */
    static String usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
