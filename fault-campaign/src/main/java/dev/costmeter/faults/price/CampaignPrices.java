package dev.costmeter.faults.price;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The campaign's own price catalog. The rates are invented, not any provider's, and chosen for the
 * test: each has digits below a whole nano-USD per token (so rounding happens on almost every call),
 * and they are low enough that no rollup scope spends $1 in five minutes at campaign rates, which
 * keeps alerting-stream's spike rule ({@code spike.min.nanos}) quiet. One model per pricing feature:
 * prompt-cache reads and writes, batch rates, a long-context tier, and a model for response-cache
 * hits; plus one model with an absurd input rate whose calls overflow a long.
 */
public final class CampaignPrices {

    /** Where every campaign price starts: before any event a run makes, the pre-1970 poison aside. */
    public static final Instant EFFECTIVE_FROM = Instant.parse("2025-01-01T00:00:00Z");

    public static final ModelPrice SONNET = new ModelPrice("anthropic", "fc-sonnet", EFFECTIVE_FROM,
            3_000_123L, 15_000_457L, 300_011L, 3_750_151L, null, null, null);
    public static final ModelPrice MINI = new ModelPrice("openai", "fc-mini", EFFECTIVE_FROM,
            1_500_077L, 6_000_311L, 750_039L, 0L, 750_038L, 3_000_155L, null);
    public static final ModelPrice PRO = new ModelPrice("google", "fc-pro", EFFECTIVE_FROM,
            1_250_091L, 10_000_093L, 312_523L, 0L, null, null,
            new ModelPrice.LongContext(200_000L, 2_500_187L, 15_000_201L, 625_047L, 0L));
    public static final ModelPrice NANO = new ModelPrice("openai", "fc-nano", EFFECTIVE_FROM,
            500_021L, 4_000_067L, 50_003L, 0L, 250_011L, 2_000_033L, null);
    /** 9e18 nano-USD per million input tokens: ten million tokens cost 9e19 nano-USD, beyond a long. */
    public static final ModelPrice OVERFLOW = new ModelPrice("fc-lab", "fc-overflow", EFFECTIVE_FROM,
            9_000_000_000_000_000_000L, 0L, 0L, 0L, null, null, null);

    public static final List<ModelPrice> ALL = List.of(SONNET, MINI, PRO, NANO, OVERFLOW);

    private static final Map<String, ModelPrice> BY_KEY = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(ModelPrice::key, Function.identity()));

    private CampaignPrices() {
    }

    /** The price of {@code provider/model}, or null for a model the campaign never priced. */
    public static ModelPrice byKey(String key) {
        return BY_KEY.get(key);
    }

    /** The catalog in costctl's format ({@code cli/README.md}), rates as quoted decimal USD strings. */
    public static String catalogYaml() {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by the fault campaign (fault-campaign/README.md): invented rates, not a provider's.\n")
                .append("as_of: ").append(EFFECTIVE_FROM.toString(), 0, 10).append('\n')
                .append("models:\n");
        for (ModelPrice price : ALL) {
            yaml.append("  - provider: ").append(price.provider()).append('\n')
                    .append("    model: ").append(price.model()).append('\n')
                    .append("    effective_from: ").append(price.effectiveFrom()).append('\n');
            rate(yaml, "    ", "input_per_mtok", price.input());
            rate(yaml, "    ", "output_per_mtok", price.output());
            rate(yaml, "    ", "cache_read_per_mtok", price.cacheRead());
            rate(yaml, "    ", "cache_write_per_mtok", price.cacheWrite());
            if (price.batchInput() != null) {
                rate(yaml, "    ", "batch_input_per_mtok", price.batchInput());
            }
            if (price.batchOutput() != null) {
                rate(yaml, "    ", "batch_output_per_mtok", price.batchOutput());
            }
            ModelPrice.LongContext tier = price.longContext();
            if (tier != null) {
                yaml.append("    long_context:\n")
                        .append("      threshold_prompt_tokens: ").append(tier.thresholdPromptTokens()).append('\n');
                rate(yaml, "      ", "input_per_mtok", tier.input());
                rate(yaml, "      ", "output_per_mtok", tier.output());
                rate(yaml, "      ", "cache_read_per_mtok", tier.cacheRead());
                rate(yaml, "      ", "cache_write_per_mtok", tier.cacheWrite());
            }
            yaml.append("    source: \"fault campaign test rates (not a real price)\"\n");
        }
        return yaml.toString();
    }

    /** A nano-USD amount as an exact decimal USD string, e.g. 3000123 as "0.003000123". */
    public static String usd(long nanos) {
        return BigDecimal.valueOf(nanos, 9).toPlainString();
    }

    private static void rate(StringBuilder yaml, String indent, String field, long nanosPerMtok) {
        yaml.append(indent).append(field).append(": \"").append(usd(nanosPerMtok)).append("\"\n");
    }
}
