package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.metering.query.LocalQueries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hand-built day of calls through the real topology: each lever's savings on the ledger rows, in
 * the day rollups and from {@code /v1/levers} and {@code /v1/envelope}, against amounts computed by
 * hand (rates in nano-USD per million tokens: N tokens at R cost N × R / 10^6).
 *
 * <pre>
 * sonnet: $3 in, $15 out, reads $0.30, 5-minute writes $3.75, 1-hour writes $6, batch $1.50 / $7.50
 * mini:   $0.15 in, $0.60 out, no batch rate
 * c1 chat  sonnet  in 1,000 out 200 reads 10,000   cost 3,000,000 + 3,000,000 + 3,000,000 = 9,000,000
 *                                                  cache: 11,000 x 3,000 + 3,000,000 - 9,000,000 = +27,000,000
 * c2 draft sonnet  in 1,000 writes 4,000 (2,000 1h) cost 3,000,000 + 7,500,000 + 12,000,000 = 22,500,000
 *                                                  cache: 5,000 x 3,000 - 22,500,000 = -7,500,000 (a loss)
 * c3 chat  sonnet  batch in 10,000 out 1,000       cost 15,000,000 + 7,500,000 = 22,500,000
 *                                                  batch: 30,000,000 + 15,000,000 - 22,500,000 = +22,500,000
 * c4 chat  mini    batch in 10,000 out 1,000       cost 1,500,000 + 600,000 = 2,100,000; batch: 0 (no batch rate)
 * c5 chat  sonnet  attempt 2, in 1,000 out 200     cost 6,000,000: waste (retry)
 * </pre>
 */
class LeversTopologyTest {

    static final long SONNET_IN = 3_000_000_000L;
    static final long SONNET_OUT = 15_000_000_000L;

    @TempDir
    Path stateDir;

    private MeteringDriver metering;
    private LocalQueries queries;

    @BeforeEach
    void start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        metering.send(price("sonnet", T0.minus(Duration.ofDays(30)), SONNET_IN, SONNET_OUT).setProvider("anthropic")
                .setCacheReadNanosPerMtok(300_000_000L).setCacheWriteNanosPerMtok(3_750_000_000L)
                .setCacheWrite1hNanosPerMtok(6_000_000_000L).setBatchInputNanosPerMtok(1_500_000_000L)
                .setBatchOutputNanosPerMtok(7_500_000_000L).build());
        metering.send(price("mini", T0.minus(Duration.ofDays(30)), 150_000_000L, 600_000_000L).build());
        queries = metering.queries();
        metering.send(sonnet("c1", "t1", T0).setOutputTokens(200).setCacheReadTokens(10_000).build());
        metering.send(sonnet("c2", "t2", T0.plusSeconds(1)).setRoute("draft").setOutputTokens(0).setCacheWriteTokens(4_000)
                .setCacheWrite1hTokens(2_000).build());
        metering.send(sonnet("c3", "t3", T0.plusSeconds(2)).setInputTokens(10_000).setOutputTokens(1_000).setBatch(true).build());
        metering.send(call("c4", "t3", T0.plusSeconds(3)).setModel("mini").setInputTokens(10_000).setOutputTokens(1_000)
                .setBatch(true).build());
        metering.send(sonnet("c5", "t2", T0.plusSeconds(4)).setOutputTokens(200).setAttempt(2).build());
        metering.flushRollups();
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldLedgerEachCallsLeverSavingsOnceWhenPricingIt() {
        Map<String, PricedUsage> rows = new java.util.HashMap<>();
        metering.ledgerRows().forEach(row -> rows.put(row.getEventId(), row));
        assertThat(rows.get("c1").getCostNanos()).isEqualTo(9_000_000L);
        assertThat(rows.get("c1").getCacheSavingsNanos()).isEqualTo(27_000_000L);
        assertThat(rows.get("c2").getCostNanos()).isEqualTo(22_500_000L);
        assertThat(rows.get("c2").getCacheSavingsNanos()).isEqualTo(-7_500_000L);
        assertThat(rows.get("c3").getBatchSavingsNanos()).isEqualTo(22_500_000L);
        assertThat(rows.get("c4").getCostNanos()).isEqualTo(2_100_000L);
        assertThat(rows.get("c4").getBatchSavingsNanos()).isZero();
        assertThat(rows.get("c5").getCacheSavingsNanos()).isZero();
        assertThat(rows.get("c5").getBatchSavingsNanos()).isZero();
    }

    @Test
    void shouldSumTheLeversOfATenantsDayFromTheRollups() {
        Map<String, Object> total = total(RollupDimension.TENANT, "acme");
        assertThat(total).containsEntry("calls", 5L).containsEntry("cost_nanos", 62_100_000L)
                .containsEntry("lost_money", List.of());
        assertThat(lever(total, "prompt_cache")).containsEntry("saved_nanos", 27_000_000L - 7_500_000L)
                .containsEntry("calls", 2L).containsEntry("cache_read_tokens", 10_000L).containsEntry("cache_write_tokens", 4_000L);
        assertThat(lever(total, "batch")).containsEntry("saved_nanos", 22_500_000L).containsEntry("calls", 2L)
                .containsEntry("tokens", 22_000L);
        assertThat(lever(total, "response_cache")).containsEntry("saved_nanos", 0L).containsEntry("calls", 0L);
        Map<String, Object> waste = lever(total, "waste");
        assertThat(lever(waste, "retries")).containsEntry("cost_nanos", 6_000_000L).containsEntry("calls", 1L);
        assertThat(waste).containsEntry("total_nanos", 6_000_000L).containsEntry("failed_tasks", null);
    }

    @Test
    void shouldShowTheRouteWhoseCacheWasWrittenButNotReadLosingMoney() {
        Map<String, Object> draft = total(RollupDimension.ROUTE, "draft");
        assertThat(lever(draft, "prompt_cache")).containsEntry("saved_nanos", -7_500_000L);
        assertThat(draft).containsEntry("lost_money", List.of("prompt_cache"));
    }

    @Test
    void shouldCreditNothingToTheBatchCallsOfAModelWithoutABatchRate() {
        Map<String, Object> mini = total(RollupDimension.MODEL, "openai/mini");
        assertThat(lever(mini, "batch")).containsEntry("saved_nanos", 0L).containsEntry("calls", 1L)
                .containsEntry("tokens", 11_000L);
    }

    @Test
    void shouldProjectTheMonthFromTheDayWindowsWithTheSharedRule() {
        // Through 27 November (n = 27, r = 3): S = 62,100,000, W = 6,000,000, P = 62,100,000
        Map<String, Object> envelope = queries.envelope(RollupDimension.TENANT, "acme", YearMonth.of(2026, 11),
                LocalDate.of(2026, 11, 27));
        assertThat(envelope).containsEntry("spent_nanos", 62_100_000L).containsEntry("waste_nanos", 6_000_000L)
                .containsEntry("days_elapsed", 27).containsEntry("days_left", 3)
                .containsEntry("base_nanos", 62_100_000L + 3 * 62_100_000L / 27)          // 69,000,000
                .containsEntry("worst_nanos", 62_100_000L + 3 * 62_100_000L)              // 248,400,000
                .containsEntry("best_nanos", 62_100_000L + 6_233_333L);                   // 3 x 56,100,000 / 27 = 6,233,333.3
    }

    private Map<String, Object> total(RollupDimension dimension, String scope) {
        Map<String, Object> answer = queries.levers(dimension, scope, Granularity.DAY, Instant.parse("2026-11-27T00:00:00Z"),
                Instant.parse("2026-11-28T00:00:00Z"));
        assertThat((List<?>) answer.get("windows")).hasSize(1);
        return lever(answer, "total");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> lever(Map<String, Object> json, String name) {
        return (Map<String, Object>) json.get(name);
    }

    private static dev.costmeter.contracts.UsageEvent.Builder sonnet(String eventId, String taskId, Instant at) {
        return call(eventId, taskId, at).setProvider("anthropic").setModel("sonnet").setInputTokens(1_000);
    }
}
