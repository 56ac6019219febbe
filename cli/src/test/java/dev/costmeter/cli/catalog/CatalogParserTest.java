package dev.costmeter.cli.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogParserTest {

    private final CatalogParser parser = new CatalogParser();

    private static final String GPT_4O = """
            as_of: 2026-11-27
            models:
              - provider: openai
                model: gpt-4o
                input_per_mtok: "2.50"
                output_per_mtok: "10.00"
                cache_read_per_mtok: "1.25"
                cache_write_per_mtok: "0"
                batch_input_per_mtok: "1.25"
                batch_output_per_mtok: "5.00"
                source: "https://openai.com/api/pricing (read 2026-11-27)"
            """;

    @Test
    void shouldParseAnEntryIntoExactNanos() throws Exception {
        Catalog catalog = parser.parse(GPT_4O);

        assertThat(catalog.asOf()).isEqualTo(LocalDate.of(2026, 11, 27));
        assertThat(catalog.entries()).containsExactly(new CatalogEntry(0, "openai", "gpt-4o",
                Instant.parse("2026-11-27T00:00:00Z"), 2_500_000_000L, 10_000_000_000L, 1_250_000_000L, 0L,
                1_250_000_000L, 5_000_000_000L, null, "https://openai.com/api/pricing (read 2026-11-27)"));
        assertThat(catalog.entries().get(0).priceVersion()).isEqualTo("openai/gpt-4o@2026-11-27T00:00:00Z");
    }

    @Test
    void shouldDefaultOptionalFields() throws Exception {
        Catalog catalog = parser.parse("""
                as_of: 2026-11-27
                models:
                  - provider: groq
                    model: llama-3.3-70b-versatile
                    input_per_mtok: "0.59"
                    output_per_mtok: "0.79"
                    source: "https://groq.com/pricing (read 2026-11-27)"
                """);

        CatalogEntry entry = catalog.entries().get(0);
        assertThat(entry.effectiveFrom()).isEqualTo(Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(entry.cacheReadNanos()).isZero();
        assertThat(entry.cacheWriteNanos()).isZero();
        assertThat(entry.batchInputNanos()).isNull();
        assertThat(entry.batchOutputNanos()).isNull();
        assertThat(entry.longContext()).isNull();
    }

    @Test
    void shouldParseAnExplicitEffectiveFromAndALongContextTier() throws Exception {
        Catalog catalog = parser.parse("""
                as_of: 2026-11-27
                models:
                  - provider: google
                    model: gemini-2.5-pro
                    effective_from: 2026-12-01T12:30:00Z
                    input_per_mtok: "1.25"
                    output_per_mtok: "10"
                    long_context: { threshold_prompt_tokens: 200000, input_per_mtok: "2.50", output_per_mtok: "15.00", cache_read_per_mtok: "0.25" }
                    source: "https://ai.google.dev/gemini-api/docs/pricing (read 2026-11-27)"
                """);

        CatalogEntry entry = catalog.entries().get(0);
        assertThat(entry.effectiveFrom()).isEqualTo(Instant.parse("2026-12-01T12:30:00Z"));
        assertThat(entry.longContext()).isEqualTo(
                new CatalogEntry.LongContextRates(200_000, 2_500_000_000L, 15_000_000_000L, 250_000_000L, 0L));
        assertThat(entry.priceVersion()).isEqualTo("google/gemini-2.5-pro@2026-12-01T12:30:00Z");
    }

    @Test
    void shouldNameTheEntryOfAMissingField() {
        assertThat(errors("""
                as_of: 2026-11-27
                models:
                  - provider: openai
                    model: gpt-4o
                    input_per_mtok: "2.50"
                    source: "s"
                """)).containsExactly("models[0]: missing required field 'output_per_mtok'");
    }

    @Test
    void shouldRejectANegativeRate() {
        assertThat(errors(entryWith("input_per_mtok: \"-2.50\"")))
                .containsExactly("models[1].input_per_mtok: negative rate \"-2.50\"");
    }

    @Test
    void shouldRejectMoreThanNineDecimalPlaces() {
        assertThat(errors(entryWith("input_per_mtok: \"0.0000000001\"")))
                .containsExactly("models[1].input_per_mtok: \"0.0000000001\" has more than 9 decimal places (finer than one nano-USD)");
    }

    @Test
    void shouldRejectAnUnknownKey() {
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    inptu_per_mtok: \"1\"")))
                .containsExactly("models[1]: unknown key 'inptu_per_mtok'");
    }

    @Test
    void shouldRejectAYamlFloatBecauseItWouldPassThroughFloatingPoint() {
        assertThat(errors(entryWith("input_per_mtok: 2.50")))
                .containsExactly("models[1].input_per_mtok: must be a quoted decimal string such as \"2.50\", not the YAML number 2.5");
    }

    @Test
    void shouldAcceptAYamlInteger() throws Exception {
        assertThat(parser.parse(entryWith("input_per_mtok: 3")).entries().get(1).inputNanos()).isEqualTo(3_000_000_000L);
    }

    @Test
    void shouldRejectTextThatIsNotADecimal() {
        assertThat(errors(entryWith("input_per_mtok: \"two\"")))
                .containsExactly("models[1].input_per_mtok: \"two\" is not a plain decimal number such as \"2.50\"");
    }

    @Test
    void shouldRejectABadEffectiveFrom() {
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    effective_from: 2026-11-27")))
                .containsExactly("models[1].effective_from: \"2026-11-27\" is not an ISO-8601 instant such as 2026-11-27T00:00:00Z");
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    effective_from: 2026-11-27T00:00:00.0001Z")))
                .containsExactly("models[1].effective_from: \"2026-11-27T00:00:00.0001Z\" is finer than a millisecond");
    }

    @Test
    void shouldRejectAProviderWithASlash() {
        assertThat(errors(GPT_4O.replace("provider: openai", "provider: open/ai")))
                .containsExactly("models[0].provider: must not contain '/' (the topic key is provider/model)");
    }

    @Test
    void shouldRejectABlankSource() {
        assertThat(errors(GPT_4O.replace("source: \"https://openai.com/api/pricing (read 2026-11-27)\"", "source: \"\"")))
                .containsExactly("models[0].source: must be a non-empty string naming the pricing page and the date it was read");
    }

    @Test
    void shouldValidateTheLongContextTier() {
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    long_context: { threshold_prompt_tokens: -5, input_per_mtok: \"-1\", colour: red }")))
                .containsExactly(
                        "models[1].long_context: unknown key 'colour'",
                        "models[1].long_context: missing required field 'output_per_mtok'",
                        "models[1].long_context.threshold_prompt_tokens: must be a positive whole number of tokens, not \"-5\"",
                        "models[1].long_context.input_per_mtok: negative rate \"-1\"");
    }

    @Test
    void shouldRejectTwoEntriesForTheSameModelAndInstant() {
        String twice = GPT_4O + GPT_4O.substring(GPT_4O.indexOf("  - provider"));
        assertThat(errors(twice)).containsExactly("models[1]: duplicate of models[0] (openai/gpt-4o at 2026-11-27T00:00:00Z)");
    }

    @Test
    void shouldReportEveryProblemAtOnce() {
        assertThat(errors("""
                as_of: 27.11.2026
                modles: []
                """)).containsExactly(
                        "unknown key 'modles'",
                        "as_of: \"27.11.2026\" is not a date such as 2026-11-27",
                        "missing required field 'models'");
    }

    @Test
    void shouldRejectAnEmptyModelList() {
        assertThat(errors("as_of: 2026-11-27\nmodels: []\n")).containsExactly("models: must be a non-empty list of model prices");
    }

    @Test
    void shouldRejectAnEntryThatIsNotAMapping() {
        assertThat(errors("as_of: 2026-11-27\nmodels:\n  - gpt-4o\n"))
                .containsExactly("models[0]: must be a mapping of fields (provider, model, rates, source)");
    }

    @Test
    void shouldRejectInvalidYaml() {
        assertThat(errors("as_of: [2026")).singleElement().asString().startsWith("not valid YAML: ");
    }

    @Test
    void shouldRejectADuplicateYamlKey() {
        assertThat(errors(GPT_4O.replace("model: gpt-4o", "model: gpt-4o\n    model: gpt-4o-mini")))
                .singleElement().asString().startsWith("not valid YAML: Duplicate field 'model'");
    }

    @Test
    void shouldNameTheEntryOfADuplicateYamlKey() {
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    source: \"t\"")))
                .singleElement().asString()
                .startsWith("not valid YAML: Duplicate field 'source'")
                .contains("in models[1]");
    }

    @Test
    void shouldRefuseAFloatInTheLongContextTierRatherThanRoundIt() {
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    long_context: { threshold_prompt_tokens: 200000, input_per_mtok: 0.1, output_per_mtok: \"2\" }")))
                .containsExactly("models[1].long_context.input_per_mtok: must be a quoted decimal string such as \"2.50\", not the YAML number 0.1");
    }

    @Test
    void shouldNameThePathOfAListOrMappingInTheWrongPlace() {
        assertThat(errors(entryWith("input_per_mtok: [\"1\"]")))
                .containsExactly("models[1].input_per_mtok: must be a single value (a string, number or true/false), not a list or mapping");
        assertThat(errors(entryWith("input_per_mtok: \"1\"\n    long_context: 200000")))
                .containsExactly("models[1].long_context: must be a mapping with threshold_prompt_tokens and the tier's rates");
        assertThat(errors("as_of: 2026-11-27\nmodels: { provider: openai }\n")).containsExactly("models: must be a list");
    }

    @Test
    void shouldRefuseAYamlNumberAsProviderOrSource() {
        assertThat(errors(GPT_4O.replace("provider: openai", "provider: 42")))
                .containsExactly("models[0].provider: must be a non-empty string");
    }

    /** The GPT-4o catalog plus a second entry (models[1]) whose input_per_mtok line is replaced by {@code line}. */
    private static String entryWith(String line) {
        return GPT_4O + """
                  - provider: openai
                    model: gpt-4o-mini
                    %s
                    output_per_mtok: "0.60"
                    source: "s"
                """.formatted(line);
    }

    private List<String> errors(String yaml) {
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> parser.parse(yaml));
        assertThat(e).as("expected the catalog to be rejected").isNotNull();
        return e.errors();
    }
}
