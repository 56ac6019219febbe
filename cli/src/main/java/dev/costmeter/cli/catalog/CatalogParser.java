package dev.costmeter.cli.catalog;

import static dev.costmeter.cli.strictyaml.Problems.at;
import static dev.costmeter.cli.strictyaml.ScalarRules.quote;

import dev.costmeter.cli.catalog.CatalogEntry.LongContextRates;
import dev.costmeter.cli.catalog.CatalogYaml.LongContext;
import dev.costmeter.cli.catalog.CatalogYaml.Model;
import dev.costmeter.cli.strictyaml.Problems;
import dev.costmeter.cli.strictyaml.Scalar;
import dev.costmeter.cli.strictyaml.Scalar.Kind;
import dev.costmeter.cli.strictyaml.ScalarRules;
import dev.costmeter.cli.strictyaml.ScalarRules.MoneyField;
import dev.costmeter.cli.strictyaml.StrictYaml;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import dev.costmeter.contracts.LongContextCombination;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads a price catalog (YAML) and validates all of it before anything is applied, collecting every
 * problem with the entry index and the field at fault. Rates are decimal strings in USD per million
 * tokens, converted exactly to nano-USD; a YAML float is refused because it would pass through a
 * binary floating-point value. See {@code cli/README.md} for the format.
 */
public final class CatalogParser {

    private static final StrictYaml YAML = new StrictYaml("the catalog must be a mapping with the keys as_of and models",
            Map.of(Model.class, "must be a mapping of fields (provider, model, rates, source)",
                    LongContext.class, "must be a mapping with threshold_prompt_tokens and the tier's rates"));

    /**
     * Parses and validates {@code text}.
     *
     * @throws CatalogException listing every problem found
     */
    public Catalog parse(String text) throws CatalogException {
        Problems problems = new Problems();
        Optional<Catalog> catalog = YAML.read(text, CatalogYaml.class, problems).map(file -> catalog(file, problems));
        if (!problems.isEmpty()) {
            throw new CatalogException(problems.lines());
        }
        return catalog.orElseThrow();
    }

    private static Catalog catalog(CatalogYaml file, Problems problems) {
        problems.unknownKeys("", file.unknownKeys());
        LocalDate asOf = asOf(file.asOf(), problems);
        List<CatalogEntry> entries = new ArrayList<>();
        if (file.models() == null) {
            problems.missing("", "models");
        } else if (file.models().isEmpty()) {
            problems.add("models", "must be a non-empty list of model prices");
        } else {
            Instant defaultEffectiveFrom = asOf == null ? null : asOf.atStartOfDay(ZoneOffset.UTC).toInstant();
            for (int i = 0; i < file.models().size(); i++) {
                CatalogEntry entry = entry(i, file.models().get(i), defaultEffectiveFrom, problems);
                if (entry != null) {
                    entries.add(entry);
                }
            }
            duplicates(entries, problems);
        }
        return problems.isEmpty() ? new Catalog(asOf, entries) : null;
    }

    private static LocalDate asOf(Scalar value, Problems problems) {
        if (value == null) {
            problems.missing("", "as_of");
            return null;
        }
        try {
            return LocalDate.parse(value.text());
        } catch (DateTimeParseException e) {
            problems.add("as_of", quote(value.text()) + " is not a date such as 2026-11-27");
            return null;
        }
    }

    private static CatalogEntry entry(int index, Model model, Instant defaultEffectiveFrom, Problems problems) {
        String at = at("models", index);
        if (model == null) {
            problems.add(at, "must be a mapping of fields (provider, model, rates, source)");
            return null;
        }
        int before = problems.count();
        problems.unknownKeys(at, model.unknownKeys());
        problems.requirePresent(at, "provider", model.provider());
        problems.requirePresent(at, "model", model.model());
        problems.requirePresent(at, "input_per_mtok", model.inputPerMtok());
        problems.requirePresent(at, "output_per_mtok", model.outputPerMtok());
        problems.requirePresent(at, "source", model.source());
        String provider = ScalarRules.nonBlankText(model.provider(), "must be a non-empty string", at(at, "provider"), problems);
        String name = ScalarRules.nonBlankText(model.model(), "must be a non-empty string", at(at, "model"), problems);
        if (provider != null && provider.contains("/")) {
            problems.add(at(at, "provider"), "must not contain '/' (the topic key is provider/model)");
        }
        Instant effectiveFrom = effectiveFrom(model.effectiveFrom(), at(at, "effective_from"), defaultEffectiveFrom, problems);
        Long input = rate(model.inputPerMtok(), at, "input_per_mtok", problems);
        Long output = rate(model.outputPerMtok(), at, "output_per_mtok", problems);
        Long cacheRead = rate(model.cacheReadPerMtok(), at, "cache_read_per_mtok", problems);
        Long cacheWrite = rate(model.cacheWritePerMtok(), at, "cache_write_per_mtok", problems);
        Long batchInput = rate(model.batchInputPerMtok(), at, "batch_input_per_mtok", problems);
        Long batchOutput = rate(model.batchOutputPerMtok(), at, "batch_output_per_mtok", problems);
        Long cacheWrite1h = rate(model.cacheWrite1hPerMtok(), at, "cache_write_1h_per_mtok", problems);
        LongContextRates longContext = longContext(model.longContext(), at(at, "long_context"), problems);
        Map<String, Long> requestFees = requestFees(model.requestFees(), at(at, "request_fees"), problems);
        LocalDate sourceDate = date(model.sourceDate(), at(at, "source_date"), problems);
        String source = ScalarRules.nonBlankText(model.source(),
                "must be a non-empty string naming the pricing page and the date it was read", at(at, "source"), problems);
        if (problems.count() > before || effectiveFrom == null) {
            return null;
        }
        return new CatalogEntry(index, provider, name, effectiveFrom, input, output, orZero(cacheRead),
                orZero(cacheWrite), batchInput, batchOutput, longContext, source, cacheWrite1h, requestFees, sourceDate);
    }

    private static LongContextRates longContext(LongContext tier, String at, Problems problems) {
        if (tier == null) {
            return null;
        }
        int before = problems.count();
        problems.unknownKeys(at, tier.unknownKeys());
        problems.requirePresent(at, "threshold_prompt_tokens", tier.thresholdPromptTokens());
        problems.requirePresent(at, "input_per_mtok", tier.inputPerMtok());
        problems.requirePresent(at, "output_per_mtok", tier.outputPerMtok());
        Long threshold = threshold(tier.thresholdPromptTokens(), at(at, "threshold_prompt_tokens"), problems);
        Long input = rate(tier.inputPerMtok(), at, "input_per_mtok", problems);
        Long output = rate(tier.outputPerMtok(), at, "output_per_mtok", problems);
        Long cacheRead = rate(tier.cacheReadPerMtok(), at, "cache_read_per_mtok", problems);
        Long cacheWrite = rate(tier.cacheWritePerMtok(), at, "cache_write_per_mtok", problems);
        Long cacheWrite1h = rate(tier.cacheWrite1hPerMtok(), at, "cache_write_1h_per_mtok", problems);
        String withBatch = combination(tier.withBatch(), at(at, "with_batch"), problems);
        String withServiceTier = combination(tier.withServiceTier(), at(at, "with_service_tier"), problems);
        if (problems.count() > before) {
            return null;
        }
        return new LongContextRates(threshold, input, output, orZero(cacheRead), orZero(cacheWrite), cacheWrite1h,
                withBatch, withServiceTier);
    }

    /** How a long-context tier combines with batch or a service tier: one of the LongContextCombination symbols. */
    private static String combination(Scalar value, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        String text = value.text().strip();
        for (LongContextCombination symbol : LongContextCombination.values()) {
            if (symbol.name().equals(text)) {
                return text;
            }
        }
        problems.add(at, "must be one of " + Arrays.toString(LongContextCombination.values()) + ", not " + quote(text));
        return null;
    }

    /** Fees per request by kind, each a quoted decimal string of USD per request. */
    private static Map<String, Long> requestFees(Map<String, Scalar> fees, String at, Problems problems) {
        Map<String, Long> nanos = new TreeMap<>();
        if (fees == null) {
            return nanos;
        }
        fees.forEach((kind, value) -> {
            if (!kind.matches("[a-z][a-z0-9_]*")) {
                problems.add(at(at, kind), "a request kind is lower-case letters, digits and '_', such as web_search");
                return;
            }
            Long fee = ScalarRules.usdNanos(value, MoneyField.AMOUNT, at(at, kind), problems);
            if (fee != null) {
                nanos.put(kind, fee);
            } else if (value == null) {
                problems.add(at(at, kind), "must be a quoted decimal string of USD per request, such as \"0.01\"");
            }
        });
        return nanos;
    }

    private static LocalDate date(Scalar value, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        try {
            return LocalDate.parse(value.text().strip());
        } catch (DateTimeParseException e) {
            problems.add(at, quote(value.text()) + " is not a date such as 2026-11-27");
            return null;
        }
    }

    /** A token count, written as a YAML integer or a quoted one. */
    private static Long threshold(Scalar value, String at, Problems problems) {
        if (value == null) {
            return null;
        }
        String text = value.text().strip();
        if ((value.is(Kind.INTEGER) || value.is(Kind.STRING)) && text.matches("[0-9]{1,18}") && Long.parseLong(text) > 0) {
            return Long.parseLong(text);
        }
        problems.add(at, "must be a positive whole number of tokens, not " + quote(text));
        return null;
    }

    private static Instant effectiveFrom(Scalar value, String at, Instant defaultEffectiveFrom, Problems problems) {
        if (value == null) {
            return defaultEffectiveFrom;
        }
        Instant instant;
        try {
            instant = Instant.parse(value.text().strip());
        } catch (DateTimeParseException e) {
            problems.add(at, quote(value.text()) + " is not an ISO-8601 instant such as 2026-11-27T00:00:00Z");
            return null;
        }
        if (instant.getNano() % 1_000_000 != 0) {
            problems.add(at, quote(value.text()) + " is finer than a millisecond");
            return null;
        }
        return instant;
    }

    private static Long rate(Scalar value, String at, String field, Problems problems) {
        return ScalarRules.usdNanos(value, MoneyField.RATE, at(at, field), problems);
    }

    private static void duplicates(List<CatalogEntry> entries, Problems problems) {
        Map<String, CatalogEntry> seen = new HashMap<>();
        for (CatalogEntry entry : entries) {
            CatalogEntry first = seen.putIfAbsent(entry.priceVersion(), entry);
            if (first != null) {
                problems.add(at("models", entry.index()), "duplicate of " + at("models", first.index()) + " ("
                        + entry.key() + " at " + entry.effectiveFrom() + ")");
            }
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0L : value;
    }
}
