package dev.costmeter.cli.catalog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Converts pydantic's genai-prices dataset (the v2 JSON, {@code prices/new_data/v2/data.json}, MIT)
 * into catalog entries, exactly: numbers are read as decimals from the JSON text (never through a
 * binary floating-point value) and a rate that is not a whole number of nano-USD per million tokens
 * (a fee not a whole nano-USD per request) is refused with the model and field named. The mapping
 * is in {@code cli/README.md} (costctl prices import).
 */
public final class GenaiPrices {

    /** USD to nano-USD: 10^9. */
    private static final int NANO_DIGITS = 9;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

    /** costmeter's provider names that genai-prices spells otherwise. */
    private static final Map<String, String> DATASET_PROVIDER = Map.of("bedrock", "aws");

    /** Per-request fees: the dataset's field (USD per 1,000 requests) and costmeter's request kind. */
    private static final Map<String, String> FEES = Map.of(
            "web_searches_kcount", "web_search",
            "code_executions_kcount", "code_execution");

    /** A model name as usage events carry it: {@code provider/model}. */
    public record Selection(String provider, String model) {

        /** Parses {@code provider/model}; the model may contain '/' (e.g. together's meta-llama/...). */
        public static Selection parse(String text) {
            int slash = text.indexOf('/');
            if (slash <= 0 || slash == text.length() - 1) {
                throw new IllegalArgumentException("'" + text + "' is not provider/model");
            }
            return new Selection(text.substring(0, slash), text.substring(slash + 1));
        }
    }

    private final String source;
    private final LocalDate sourceDate;
    private final Map<String, Integer> batchPercent;

    /**
     * @param source where the dataset was taken from, written into every entry's source
     * @param sourceDate the date the snapshot was taken; the catalog's as_of
     * @param batchPercent by costmeter provider: batch input and output rates as this percentage of
     *     the standard ones (the dataset has no batch rates); a long-context tier then scales by the
     *     same ratio through batch ({@code with_batch: MULTIPLY})
     */
    public GenaiPrices(String source, LocalDate sourceDate, Map<String, Integer> batchPercent) {
        this.source = source;
        this.sourceDate = sourceDate;
        this.batchPercent = Map.copyOf(batchPercent);
    }

    /**
     * Converts the models {@code selection} names (every model of the dataset, under its own
     * provider and model id, when empty) into a catalog.
     *
     * @throws CatalogException listing every model or rate that cannot be converted exactly
     */
    public Catalog convert(String json, List<Selection> selection) throws CatalogException {
        JsonNode providers;
        try {
            providers = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CatalogException(List.of("not a genai-prices data file (JSON): " + e.getOriginalMessage()));
        }
        if (providers == null || !providers.isArray()) {
            throw new CatalogException(List.of("not a genai-prices data file: expected a JSON array of providers"));
        }
        List<String> problems = new ArrayList<>();
        List<CatalogEntry> entries = new ArrayList<>();
        List<Selection> wanted = selection.isEmpty() ? everyModel(providers) : selection;
        for (Selection model : wanted) {
            JsonNode provider = provider(providers, DATASET_PROVIDER.getOrDefault(model.provider(), model.provider()));
            JsonNode found = provider == null ? null : model(provider, model.model());
            if (found == null) {
                problems.add(model.provider() + "/" + model.model() + ": no model of the dataset matches it");
                continue;
            }
            String page = provider.path("pricing_urls").path(0).asText("");
            entries.addAll(versions(model, found, page, entries.size(), problems));
        }
        if (!problems.isEmpty()) {
            throw new CatalogException(problems);
        }
        return new Catalog(sourceDate, entries);
    }

    private static List<Selection> everyModel(JsonNode providers) {
        List<Selection> all = new ArrayList<>();
        for (JsonNode provider : providers) {
            for (JsonNode model : provider.path("models")) {
                all.add(new Selection(provider.path("id").asText(), model.path("id").asText()));
            }
        }
        return all;
    }

    private static JsonNode provider(JsonNode providers, String id) {
        for (JsonNode provider : providers) {
            if (id.equals(provider.path("id").asText())) {
                return provider;
            }
        }
        return null;
    }

    /** The model whose id is {@code name}, else the first whose match clause matches it, as genai-prices looks up. */
    private static JsonNode model(JsonNode provider, String name) {
        for (JsonNode model : provider.path("models")) {
            if (name.equals(model.path("id").asText())) {
                return model;
            }
        }
        for (JsonNode model : provider.path("models")) {
            if (GenaiPricesMatch.matches(model.path("match"), name)) {
                return model;
            }
        }
        return null;
    }

    /** One entry per price of the model: an unconditional price from the epoch, a dated one from its start_date. */
    private List<CatalogEntry> versions(Selection model, JsonNode found, String page, int firstIndex, List<String> problems) {
        String at = model.provider() + "/" + model.model() + " (dataset model " + found.path("id").asText() + ")";
        JsonNode prices = found.path("prices");
        List<JsonNode> conditional = new ArrayList<>();
        if (prices.isArray()) {
            prices.forEach(conditional::add);
        } else {
            conditional.add(JSON.createObjectNode().set("prices", prices));
        }
        List<CatalogEntry> entries = new ArrayList<>();
        for (JsonNode price : conditional) {
            Instant effectiveFrom = effectiveFrom(price.path("constraint"), at, problems);
            if (effectiveFrom == null) {
                continue;
            }
            Integer batch = batchPercent.get(model.provider());
            String entrySource = source + "; model " + found.path("id").asText() + "; provider page " + page
                    + (batch == null ? "" : "; batch " + batch + "% of input and output (--batch-percent, not in the dataset)");
            CatalogEntry entry = new PriceConversion(at + " from " + effectiveFrom, price.path("prices"), problems)
                    .toEntry(firstIndex + entries.size(), model.provider(), model.model(), effectiveFrom, entrySource,
                            sourceDate, batch);
            if (entry != null) {
                entries.add(entry);
            }
        }
        return entries;
    }

    private static Instant effectiveFrom(JsonNode constraint, String at, List<String> problems) {
        if (constraint.isMissingNode() || constraint.isNull()) {
            return Instant.EPOCH;
        }
        if (constraint.has("start_date") && constraint.size() == 1) {
            try {
                return LocalDate.parse(constraint.get("start_date").asText()).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                problems.add(at + ": start_date " + constraint.get("start_date") + " is not a date");
                return null;
            }
        }
        problems.add(at + ": a price constrained by " + constraint + " (e.g. time of day) cannot be represented;"
                + " leave the model out of the selection");
        return null;
    }

    /** Exact conversion of one genai-prices ModelPrice object. */
    private static final class PriceConversion {

        private final String at;
        private final JsonNode prices;
        private final List<String> problems;
        private Long threshold;

        PriceConversion(String at, JsonNode prices, List<String> problems) {
            this.at = at;
            this.prices = prices;
            this.problems = problems;
        }

        CatalogEntry toEntry(int index, String provider, String model, Instant effectiveFrom, String source,
                LocalDate sourceDate, Integer batchPercent) {
            int before = problems.size();
            Map<String, Long> fees = new TreeMap<>();
            prices.fieldNames().forEachRemaining(field -> {
                if (FEES.containsKey(field)) {
                    Long fee = nanos(field, prices.get(field), 3); // USD per 1,000 requests -> per request
                    if (fee != null) {
                        fees.put(FEES.get(field), fee);
                    }
                } else if (!known(field) && !otherModality(field)) {
                    problems.add(at + ": price field " + field + " has no costmeter equivalent; leave the model out");
                }
            });
            if (!prices.has("input_mtok") || !prices.has("output_mtok")) {
                problems.add(at + ": input_mtok and output_mtok are required");
                return null;
            }
            if (prices.has("cache_write_mtok") && prices.has("cache_write_5m_mtok")
                    && !prices.get("cache_write_mtok").equals(prices.get("cache_write_5m_mtok"))) {
                problems.add(at + ": cache_write_mtok and cache_write_5m_mtok differ");
            }
            String cacheWriteField = prices.has("cache_write_mtok") ? "cache_write_mtok" : "cache_write_5m_mtok";
            long[] input = rate("input_mtok");
            long[] output = rate("output_mtok");
            long[] cacheRead = rate("cache_read_mtok");
            long[] cacheWrite = rate(cacheWriteField);
            long[] cacheWrite1h = rate("cache_write_1h_mtok");
            if (problems.size() > before || input == null || output == null) {
                return null;
            }
            Long batchInput = batchPercent == null ? null : percent("batch input", input[0], batchPercent);
            Long batchOutput = batchPercent == null ? null : percent("batch output", output[0], batchPercent);
            if (problems.size() > before) {
                return null;
            }
            CatalogEntry.LongContextRates longContext = threshold == null ? null : new CatalogEntry.LongContextRates(
                    threshold, input[1], output[1], orZero(cacheRead, 1), orZero(cacheWrite, 1),
                    cacheWrite1h == null ? null : cacheWrite1h[1], batchPercent == null ? null : "MULTIPLY", null);
            return new CatalogEntry(index, provider, model, effectiveFrom, input[0], output[0], orZero(cacheRead, 0),
                    orZero(cacheWrite, 0), batchInput, batchOutput, longContext, source,
                    cacheWrite1h == null ? null : cacheWrite1h[0], fees, sourceDate);
        }

        /** {@code nanos × percent / 100}, refused unless whole. */
        private Long percent(String what, long nanos, int percent) {
            BigDecimal scaled = BigDecimal.valueOf(nanos).multiply(BigDecimal.valueOf(percent)).movePointLeft(2)
                    .stripTrailingZeros();
            if (scaled.scale() > 0) {
                problems.add(at + ": " + what + " at " + percent + "% of " + nanos + " nano-USD per million tokens is "
                        + scaled.toPlainString() + ", not a whole number; refused rather than rounded");
                return null;
            }
            return scaled.longValueExact();
        }

        private static boolean known(String field) {
            return field.equals("input_mtok") || field.equals("output_mtok") || field.equals("cache_read_mtok")
                    || field.equals("cache_write_mtok") || field.equals("cache_write_5m_mtok")
                    || field.equals("cache_write_1h_mtok");
        }

        /** Audio, image and video rates: usage events count text tokens only, so these are not imported. */
        private static boolean otherModality(String field) {
            return field.contains("audio") || field.contains("image") || field.contains("video");
        }

        /** {base, long-context tier} rates of a field in nano-USD per million tokens; null when absent or invalid. */
        private long[] rate(String field) {
            JsonNode value = prices.get(field);
            if (value == null || value.isNull()) {
                return null;
            }
            if (value.isNumber()) {
                Long flat = nanos(field, value, 0);
                return flat == null ? null : new long[] {flat, flat};
            }
            JsonNode tiers = value.path("tiers");
            if (!value.has("base") || !tiers.isArray() || tiers.size() != 1) {
                problems.add(at + ": " + field + " must be a number or a base with exactly one tier, not " + value);
                return null;
            }
            long start = tiers.get(0).path("start").asLong(-1);
            if (threshold != null && threshold != start) {
                problems.add(at + ": " + field + "'s tier starts at " + start + ", another field's at " + threshold
                        + "; one long-context threshold per price");
                return null;
            }
            threshold = start;
            Long base = nanos(field, value.get("base"), 0);
            Long tier = nanos(field + " tier", tiers.get(0).get("price"), 0);
            return base == null || tier == null ? null : new long[] {base, tier};
        }

        /** USD (per million tokens, or per 10^perPower requests) as an exact whole number of nano-USD. */
        private Long nanos(String field, JsonNode value, int perPower) {
            if (value == null || !value.isNumber()) {
                problems.add(at + ": " + field + " must be a number, not " + value);
                return null;
            }
            BigDecimal usd = value.decimalValue();
            if (usd.signum() < 0) {
                problems.add(at + ": " + field + " is negative (" + usd.toPlainString() + ")");
                return null;
            }
            BigDecimal nanos = usd.movePointRight(NANO_DIGITS - perPower).stripTrailingZeros();
            if (nanos.scale() > 0) {
                problems.add(at + ": " + field + " is " + usd.toPlainString() + " USD, not a whole number of nano-USD per "
                        + (perPower == 0 ? "million tokens" : "request") + "; refused rather than rounded");
                return null;
            }
            try {
                return nanos.longValueExact();
            } catch (ArithmeticException e) {
                problems.add(at + ": " + field + " is " + usd.toPlainString() + " USD, too large");
                return null;
            }
        }

        private static long orZero(long[] rates, int which) {
            return rates == null ? 0L : rates[which];
        }
    }
}
