package dev.costmeter.cli.prices;

import static dev.costmeter.cli.prices.PriceHistoryTest.JAN;
import static dev.costmeter.cli.prices.PriceHistoryTest.NOV;
import static dev.costmeter.cli.prices.PriceHistoryTest.gpt4o;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.catalog.CatalogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PriceViewsTest {

    private static final CatalogEntry SONNET = new CatalogEntry(0, "anthropic", "claude-sonnet-4-5-20250929", NOV,
            3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L, 1_500_000_000L, 7_500_000_000L,
            new CatalogEntry.LongContextRates(200_000, 6_000_000_000L, 22_500_000_000L, 600_000_000L, 7_500_000_000L),
            "https://platform.claude.com/docs/en/about-claude/pricing (read 2026-11-27)");
    private static final CatalogEntry LLAMA = new CatalogEntry(0, "groq", "llama-3.1-8b-instant", JAN,
            50_000_000L, 80_000_000L, 0L, 0L, null, null, null, "https://groq.com/pricing (read 2026-11-27)");

    private final Map<String, PriceHistory> topic = new TreeMap<>();

    PriceViewsTest() {
        PriceHistory gpt = PriceHistory.merge(null, gpt4o(NOV, 2_500_000_000L)).history();
        gpt = PriceHistory.merge(gpt, gpt4o(JAN, 2_000_000_000L)).history();
        topic.put(gpt.key(), gpt);
        topic.put("anthropic/claude-sonnet-4-5-20250929", PriceHistory.merge(null, SONNET).history());
        topic.put("groq/llama-3.1-8b-instant", PriceHistory.merge(null, LLAMA).history());
    }

    @Test
    void shouldShowTheVersionInForceAtAnInstantInDollarsPerMillionTokens() {
        Instant december = Instant.parse("2026-12-15T00:00:00Z");

        assertThat(PriceViews.listTable(PriceViews.inForce(topic, december))).isEqualTo("""
                MODEL                                 EFFECTIVE_FROM        INPUT  OUTPUT  CACHE_READ  CACHE_WRITE  BATCH_IN  BATCH_OUT  LONG_CONTEXT                       PRICE_VERSION
                ------------------------------------  --------------------  -----  ------  ----------  -----------  --------  ---------  ---------------------------------  ---------------------------------------------------------
                anthropic/claude-sonnet-4-5-20250929  2026-11-27T00:00:00Z  $3.00  $15.00       $0.30        $3.75     $1.50      $7.50  >200000: $6.00/$22.50/$0.60/$7.50  anthropic/claude-sonnet-4-5-20250929@2026-11-27T00:00:00Z
                openai/gpt-4o                         2026-11-27T00:00:00Z  $2.50  $10.00       $1.25        $0.00     $1.25      $5.00  -                                  openai/gpt-4o@2026-11-27T00:00:00Z
                """);
        assertThat(PriceViews.notInForce(topic, december)).containsExactly("groq/llama-3.1-8b-instant");
    }

    @Test
    void shouldShowTheNewerVersionOnceItIsInForce() {
        List<PriceViews.InForce> rows = PriceViews.inForce(topic, JAN);

        assertThat(rows).extracting(row -> row.version().getPriceVersion()).containsExactly(
                "anthropic/claude-sonnet-4-5-20250929@2026-11-27T00:00:00Z",
                "groq/llama-3.1-8b-instant@2027-01-01T00:00:00Z",
                "openai/gpt-4o@2027-01-01T00:00:00Z");
    }

    @Test
    void shouldGiveIntegerNanosInJson() throws Exception {
        Instant december = Instant.parse("2026-12-15T00:00:00Z");

        JsonNode json = Json.mapper().readTree(Json.pretty(PriceViews.listJson(december,
                PriceViews.inForce(topic, december), PriceViews.notInForce(topic, december))));

        assertThat(json.get("at").asText()).isEqualTo("2026-12-15T00:00:00Z");
        JsonNode sonnet = json.get("prices").get(0);
        assertThat(sonnet.get("provider").asText()).isEqualTo("anthropic");
        assertThat(sonnet.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
        assertThat(sonnet.get("input_nanos_per_mtok").isIntegralNumber()).isTrue();
        assertThat(sonnet.get("input_nanos_per_mtok").asLong()).isEqualTo(3_000_000_000L);
        assertThat(sonnet.get("long_context").get("output_nanos_per_mtok").asLong()).isEqualTo(22_500_000_000L);
        assertThat(sonnet.get("price_version").asText()).isEqualTo("anthropic/claude-sonnet-4-5-20250929@2026-11-27T00:00:00Z");
        JsonNode gpt = json.get("prices").get(1);
        assertThat(gpt.get("long_context").isNull()).isTrue();
        assertThat(json.get("not_in_force").get(0).asText()).isEqualTo("groq/llama-3.1-8b-instant");
    }

    @Test
    void shouldShowWhatAnApplyDid() {
        ApplyPlan plan = ApplyPlan.of(Map.of(), new dev.costmeter.cli.catalog.Catalog(java.time.LocalDate.of(2026, 11, 27),
                List.of(gpt4o(NOV, 2_500_000_000L))));

        assertThat(PriceViews.applyTable(plan) + PriceViews.applySummary(plan, "llm.prices.v1", true)).isEqualTo("""
                MODEL          EFFECTIVE_FROM        ACTION
                -------------  --------------------  ------
                openai/gpt-4o  2026-11-27T00:00:00Z  added
                1 added, 0 updated, 0 unchanged; published 1 record(s) to llm.prices.v1""");
    }
}
