package dev.costmeter.cli.catalog;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.costmeter.cli.catalog.CatalogEntry.LongContextRates;
import dev.costmeter.cli.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a price catalog (YAML) and validates all of it before anything is applied, collecting every
 * problem with the entry index and the field at fault. Rates are decimal strings in USD per million
 * tokens, converted exactly to nano-USD; a YAML float is refused because it would pass through a
 * binary floating-point value. See {@code cli/README.md} for the format.
 */
public final class CatalogParser {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("as_of", "models");
    private static final Set<String> ENTRY_KEYS = Set.of("provider", "model", "effective_from", "input_per_mtok",
            "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok", "batch_input_per_mtok",
            "batch_output_per_mtok", "long_context", "source");
    private static final List<String> ENTRY_REQUIRED = List.of("provider", "model", "input_per_mtok", "output_per_mtok",
            "source");
    private static final Set<String> LONG_CONTEXT_KEYS = Set.of("threshold_prompt_tokens", "input_per_mtok",
            "output_per_mtok", "cache_read_per_mtok", "cache_write_per_mtok");
    private static final List<String> LONG_CONTEXT_REQUIRED = List.of("threshold_prompt_tokens", "input_per_mtok",
            "output_per_mtok");

    private final YAMLMapper yaml = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * Parses and validates {@code text}.
     *
     * @throws CatalogException listing every problem found
     */
    public Catalog parse(String text) throws CatalogException {
        JsonNode root;
        try {
            root = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CatalogException(List.of("not valid YAML: " + e.getOriginalMessage()));
        }
        Errors errors = new Errors();
        if (root == null || !root.isObject()) {
            throw new CatalogException(List.of("the catalog must be a mapping with the keys as_of and models"));
        }
        unknownKeys(root, TOP_LEVEL_KEYS, "", errors);
        LocalDate asOf = asOf(root, errors);
        List<CatalogEntry> entries = new ArrayList<>();
        JsonNode models = root.get("models");
        if (models == null) {
            errors.add("", "missing required field 'models'");
        } else if (!models.isArray() || models.isEmpty()) {
            errors.add("models", "must be a non-empty list of model prices");
        } else {
            Instant defaultEffectiveFrom = asOf == null ? null : asOf.atStartOfDay(ZoneOffset.UTC).toInstant();
            for (int i = 0; i < models.size(); i++) {
                CatalogEntry entry = entry(i, models.get(i), defaultEffectiveFrom, errors);
                if (entry != null) {
                    entries.add(entry);
                }
            }
            duplicates(entries, errors);
        }
        if (!errors.isEmpty()) {
            throw new CatalogException(errors.lines);
        }
        return new Catalog(asOf, entries);
    }

    private static LocalDate asOf(JsonNode root, Errors errors) {
        JsonNode node = root.get("as_of");
        if (node == null) {
            errors.add("", "missing required field 'as_of'");
            return null;
        }
        try {
            return LocalDate.parse(node.asText());
        } catch (DateTimeParseException e) {
            errors.add("as_of", quote(node.asText()) + " is not a date such as 2026-11-27");
            return null;
        }
    }

    private static CatalogEntry entry(int index, JsonNode node, Instant defaultEffectiveFrom, Errors errors) {
        String at = "models[" + index + "]";
        if (!node.isObject()) {
            errors.add(at, "must be a mapping of fields (provider, model, rates, source)");
            return null;
        }
        int before = errors.size();
        unknownKeys(node, ENTRY_KEYS, at, errors);
        missing(node, ENTRY_REQUIRED, at, errors);
        String provider = name(node, "provider", at, errors);
        String model = name(node, "model", at, errors);
        if (provider != null && provider.contains("/")) {
            errors.add(at + ".provider", "must not contain '/' (the topic key is provider/model)");
        }
        Instant effectiveFrom = effectiveFrom(node, at, defaultEffectiveFrom, errors);
        Long input = rate(node, "input_per_mtok", at, errors);
        Long output = rate(node, "output_per_mtok", at, errors);
        Long cacheRead = rate(node, "cache_read_per_mtok", at, errors);
        Long cacheWrite = rate(node, "cache_write_per_mtok", at, errors);
        Long batchInput = rate(node, "batch_input_per_mtok", at, errors);
        Long batchOutput = rate(node, "batch_output_per_mtok", at, errors);
        LongContextRates longContext = longContext(node.get("long_context"), at + ".long_context", errors);
        String source = null;
        JsonNode sourceNode = node.get("source");
        if (sourceNode != null) {
            if (!sourceNode.isTextual() || sourceNode.asText().isBlank()) {
                errors.add(at + ".source", "must be a non-empty string naming the pricing page and the date it was read");
            } else {
                source = sourceNode.asText().strip();
            }
        }
        if (errors.size() > before || effectiveFrom == null) {
            return null;
        }
        return new CatalogEntry(index, provider, model, effectiveFrom, input, output, orZero(cacheRead),
                orZero(cacheWrite), batchInput, batchOutput, longContext, source);
    }

    private static LongContextRates longContext(JsonNode node, String at, Errors errors) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            errors.add(at, "must be a mapping with threshold_prompt_tokens and the tier's rates");
            return null;
        }
        int before = errors.size();
        unknownKeys(node, LONG_CONTEXT_KEYS, at, errors);
        missing(node, LONG_CONTEXT_REQUIRED, at, errors);
        Long threshold = null;
        JsonNode thresholdNode = node.get("threshold_prompt_tokens");
        if (thresholdNode != null) {
            String text = thresholdNode.asText().strip();
            if ((thresholdNode.isIntegralNumber() || thresholdNode.isTextual()) && text.matches("[0-9]{1,18}")
                    && Long.parseLong(text) > 0) {
                threshold = Long.parseLong(text);
            } else {
                errors.add(at + ".threshold_prompt_tokens", "must be a positive whole number of tokens, not " + quote(text));
            }
        }
        Long input = rate(node, "input_per_mtok", at, errors);
        Long output = rate(node, "output_per_mtok", at, errors);
        Long cacheRead = rate(node, "cache_read_per_mtok", at, errors);
        Long cacheWrite = rate(node, "cache_write_per_mtok", at, errors);
        if (errors.size() > before) {
            return null;
        }
        return new LongContextRates(threshold, input, output, orZero(cacheRead), orZero(cacheWrite));
    }

    private static Instant effectiveFrom(JsonNode node, String at, Instant defaultEffectiveFrom, Errors errors) {
        JsonNode value = node.get("effective_from");
        if (value == null || value.isNull()) {
            return defaultEffectiveFrom;
        }
        Instant instant;
        try {
            instant = Instant.parse(value.asText().strip());
        } catch (DateTimeParseException e) {
            errors.add(at + ".effective_from", quote(value.asText()) + " is not an ISO-8601 instant such as 2026-11-27T00:00:00Z");
            return null;
        }
        if (instant.getNano() % 1_000_000 != 0) {
            errors.add(at + ".effective_from", quote(value.asText()) + " is finer than a millisecond");
            return null;
        }
        return instant;
    }

    /** A rate in nano-USD, or null when absent (or invalid, with the error recorded). */
    private static Long rate(JsonNode node, String field, String at, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isFloatingPointNumber()) {
            errors.add(at + "." + field, "must be a quoted decimal string such as \"2.50\", not the YAML number "
                    + value.asText());
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            errors.add(at + "." + field, "must be a quoted decimal string such as \"2.50\"");
            return null;
        }
        try {
            return Money.parseUsd(value.asText());
        } catch (IllegalArgumentException e) {
            errors.add(at + "." + field, e.getMessage());
            return null;
        }
    }

    private static String name(JsonNode node, String field, String at, Errors errors) {
        JsonNode value = node.get(field);
        if (value == null) {
            return null;
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            errors.add(at + "." + field, "must be a non-empty string");
            return null;
        }
        return value.asText().strip();
    }

    private static void unknownKeys(JsonNode node, Set<String> allowed, String at, Errors errors) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                errors.add(at, "unknown key '" + name + "'");
            }
        }
    }

    private static void missing(JsonNode node, List<String> required, String at, Errors errors) {
        for (String field : required) {
            if (node.get(field) == null || node.get(field).isNull()) {
                errors.add(at, "missing required field '" + field + "'");
            }
        }
    }

    private static void duplicates(List<CatalogEntry> entries, Errors errors) {
        Map<String, CatalogEntry> seen = new HashMap<>();
        for (CatalogEntry entry : entries) {
            CatalogEntry first = seen.putIfAbsent(entry.priceVersion(), entry);
            if (first != null) {
                errors.add("models[" + entry.index() + "]", "duplicate of models[" + first.index() + "] ("
                        + entry.key() + " at " + entry.effectiveFrom() + ")");
            }
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    /** Problems in file order, each prefixed with where it is. */
    private static final class Errors {
        private final List<String> lines = new ArrayList<>();

        void add(String at, String problem) {
            lines.add(at.isEmpty() ? problem : at + ": " + problem);
        }

        int size() {
            return lines.size();
        }

        boolean isEmpty() {
            return lines.isEmpty();
        }
    }
}
