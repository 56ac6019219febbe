package dev.costmeter.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The demo view's spend tables, built from answers shaped as metering-stream's {@code GET /v1/spend}
 * writes them (its {@code total} and {@code windows} with every counter), for a day of demo calls
 * in which the support chat was degraded to its fallback model.
 */
class SpendTablesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SONNET = "anthropic/claude-sonnet-4-6";
    private static final String HAIKU = "anthropic/claude-haiku-4-5-20251001";

    /** One billed call: its route, its model, its cost and cache figures in nano-USD and tokens. */
    private record Call(String route, String model, long cost, long cacheReadTokens, long cacheReadCost, long cacheWriteTokens,
            long cacheWriteCost) {
        static Call plain(String route, String model, long cost) {
            return new Call(route, model, cost, 0, 0, 0, 0);
        }
    }

    private static final List<Call> DAY = List.of(
            new Call("support-chat", SONNET, 27_812_500, 0, 0, 6_000, 22_500_000),
            new Call("support-chat", SONNET, 7_112_300, 6_000, 1_800_000, 0, 0),
            new Call("support-chat", HAIKU, 2_370_100, 6_000, 600_000, 0, 0),
            new Call("support-chat", HAIKU, 9_270_833, 0, 0, 6_000, 7_500_000),
            Call.plain("rag-qa", "google/gemini-2.5-pro", 71_250_001),
            Call.plain("nightly-classify", "openai/gpt-4o-mini", 41_103),
            Call.plain("summarize", "openai/gpt-4o", 5_625_000),
            Call.plain("premium-chat", "anthropic/claude-opus-4-6", 337_500_000),
            Call.plain("research", "openai/gpt-4o", 1_250_000));

    @Test
    void shouldMakeRouteTotalsEqualModelTotalsWhenBothTablesDescribeTheSameCalls() throws Exception {
        SpendTables tables = SpendTables.fromSpendAnswers(answers("route", DAY, Call::route), answers("model", DAY, Call::model));

        assertThat(tables.addsUp()).isTrue();
        assertThat(tables.routeTotal().calls()).isEqualTo(tables.modelTotal().calls()).isEqualTo(DAY.size());
        assertThat(tables.routeTotal().costNanos()).isEqualTo(tables.modelTotal().costNanos())
                .isEqualTo(DAY.stream().mapToLong(Call::cost).sum());
        assertThat(tables.routeTotal().cacheReadCostNanos()).isEqualTo(tables.modelTotal().cacheReadCostNanos()).isEqualTo(2_400_000);
        assertThat(tables.routeTotal().cacheWriteCostNanos()).isEqualTo(tables.modelTotal().cacheWriteCostNanos())
                .isEqualTo(30_000_000);
    }

    @Test
    void shouldListADegradesFallbackModelOnceItIsBilled() throws Exception {
        SpendTables tables = SpendTables.fromSpendAnswers(answers("route", DAY, Call::route), answers("model", DAY, Call::model));

        assertThat(tables.models()).extracting(SpendRow::scope).contains(SONNET, HAIKU);
        SpendRow haiku = tables.models().stream().filter(row -> row.scope().equals(HAIKU)).findFirst().orElseThrow();
        assertThat(haiku.calls()).isEqualTo(2);
        assertThat(haiku.costNanos()).isEqualTo(2_370_100 + 9_270_833);
        assertThat(haiku.cacheReadCostNanos()).isEqualTo(600_000);
        assertThat(haiku.cacheWriteCostNanos()).isEqualTo(7_500_000);
    }

    @Test
    void shouldPutTheMostExpensiveScopeFirstAndLeaveOutScopesWithoutCalls() throws Exception {
        Map<String, JsonNode> byRoute = answers("route", DAY, Call::route);
        byRoute.put("silent-route", answer("route", "silent-route", List.of()));

        SpendTables tables = SpendTables.fromSpendAnswers(byRoute, answers("model", DAY, Call::model));

        assertThat(tables.routes()).extracting(SpendRow::scope)
                .containsExactly("premium-chat", "rag-qa", "support-chat", "summarize", "research", "nightly-classify");
    }

    @Test
    void shouldTellWhenTheTwoTablesWereReadWhileCallsArrived() throws Exception {
        List<Call> later = new java.util.ArrayList<>(DAY);
        later.add(Call.plain("rag-qa", "google/gemini-2.5-pro", 70_000_000));

        SpendTables tables = SpendTables.fromSpendAnswers(answers("route", DAY, Call::route), answers("model", later, Call::model));

        assertThat(tables.addsUp()).isFalse();
    }

    /** What metering answers for every scope of a dimension, for these calls (one day window each). */
    private static Map<String, JsonNode> answers(String dimension, List<Call> calls, Function<Call, String> scopeOf)
            throws Exception {
        Map<String, List<Call>> byScope = new TreeMap<>();
        calls.forEach(call -> byScope.computeIfAbsent(scopeOf.apply(call), s -> new java.util.ArrayList<>()).add(call));
        Map<String, JsonNode> answers = new TreeMap<>();
        for (Map.Entry<String, List<Call>> scope : byScope.entrySet()) {
            answers.put(scope.getKey(), answer(dimension, scope.getKey(), scope.getValue()));
        }
        return answers;
    }

    /** A {@code /v1/spend} answer as metering-stream writes it (LocalQueries.spend, Json.counters). */
    private static JsonNode answer(String dimension, String scope, List<Call> calls) throws Exception {
        Map<String, Object> counters = counters(calls);
        Map<String, Object> window = new LinkedHashMap<>();
        window.put("window_start", "2026-12-06T00:00:00Z");
        window.put("window_end", "2026-12-07T00:00:00Z");
        window.putAll(counters);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dimension", dimension.toUpperCase(java.util.Locale.ROOT));
        json.put("scope", scope);
        json.put("granularity", "DAY");
        json.put("from", "2026-12-06T00:00:00Z");
        json.put("to", "2026-12-07T00:00:00Z");
        json.put("windows", calls.isEmpty() ? List.of() : List.of(window));
        json.put("total", counters);
        return JSON.readTree(JSON.writeValueAsString(json));
    }

    private static Map<String, Object> counters(List<Call> calls) {
        Map<String, Object> json = new LinkedHashMap<>();
        long cost = calls.stream().mapToLong(Call::cost).sum();
        long read = calls.stream().mapToLong(Call::cacheReadCost).sum();
        long write = calls.stream().mapToLong(Call::cacheWriteCost).sum();
        json.put("calls", calls.size());
        json.put("retries", 0);
        json.put("failures", 0);
        json.put("response_cache_hits", 0);
        json.put("unpriced_calls", 0);
        json.put("input_tokens", 400L * calls.size());
        json.put("output_tokens", 300L * calls.size());
        json.put("cache_read_tokens", calls.stream().mapToLong(Call::cacheReadTokens).sum());
        json.put("cache_write_tokens", calls.stream().mapToLong(Call::cacheWriteTokens).sum());
        json.put("cost_nanos", cost);
        json.put("input_cost_nanos", (cost - read - write) / 2);
        json.put("output_cost_nanos", cost - read - write - (cost - read - write) / 2);
        json.put("cache_read_cost_nanos", read);
        json.put("cache_write_cost_nanos", write);
        json.put("savings_nanos", 0);
        json.put("cache_hit_rate_bps", 0);
        return json;
    }
}
