package dev.costmeter.cli.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The catalog keys of the pricing dimensions: 1-hour writes, request fees, long-context rules, source date. */
class CatalogPricingDimensionsTest {

    private final CatalogParser parser = new CatalogParser();

    @Test
    void shouldReadOneHourWritesRequestFeesLongContextRulesAndSourceDateExactly() throws Exception {
        CatalogEntry entry = parser.parse("""
                as_of: 2026-11-27
                models:
                  - provider: anthropic
                    model: claude-sonnet-4-5-20250929
                    input_per_mtok: "3"
                    output_per_mtok: "15"
                    cache_write_per_mtok: "3.75"
                    cache_write_1h_per_mtok: "6"
                    long_context:
                      threshold_prompt_tokens: 200000
                      input_per_mtok: "6"
                      output_per_mtok: "22.5"
                      cache_write_1h_per_mtok: "12"
                      with_batch: MULTIPLY
                      with_service_tier: NOT_AVAILABLE
                    request_fees:
                      web_search: "0.01"
                    source: "https://www.anthropic.com/pricing (read 2026-11-27)"
                    source_date: 2026-11-27
                """).entries().get(0);

        assertThat(entry.cacheWrite1hNanos()).isEqualTo(6_000_000_000L);
        assertThat(entry.longContext().cacheWrite1hNanos()).isEqualTo(12_000_000_000L);
        assertThat(entry.longContext().withBatch()).isEqualTo("MULTIPLY");
        assertThat(entry.longContext().withServiceTier()).isEqualTo("NOT_AVAILABLE");
        assertThat(entry.requestFeeNanos()).containsExactly(java.util.Map.entry("web_search", 10_000_000L));
        assertThat(entry.sourceDate()).isEqualTo(LocalDate.of(2026, 11, 27));
    }

    @Test
    void shouldNameEveryBadDimensionValue() {
        CatalogException e = catchThrowableOfType(CatalogException.class, () -> parser.parse("""
                as_of: 2026-11-27
                models:
                  - provider: anthropic
                    model: claude
                    input_per_mtok: "3"
                    output_per_mtok: "15"
                    cache_write_1h_per_mtok: 6.0
                    long_context:
                      threshold_prompt_tokens: 200000
                      input_per_mtok: "6"
                      output_per_mtok: "22.5"
                      with_batch: HALF
                    request_fees:
                      Web-Search: "0.01"
                      code_execution: "0.0000000001"
                    source: "https://www.anthropic.com/pricing"
                    source_date: yesterday
                """));

        assertThat(e.errors()).containsExactlyInAnyOrder(
                "models[0].cache_write_1h_per_mtok: must be a quoted decimal string such as \"2.50\", not the YAML number 6.0",
                "models[0].long_context.with_batch: must be one of [TIER_REPLACES, MULTIPLY, NOT_AVAILABLE], not \"HALF\"",
                "models[0].request_fees.Web-Search: a request kind is lower-case letters, digits and '_', such as web_search",
                "models[0].request_fees.code_execution: \"0.0000000001\" has more than 9 decimal places (finer than one nano-USD)",
                "models[0].source_date: \"yesterday\" is not a date such as 2026-11-27");
    }
}
