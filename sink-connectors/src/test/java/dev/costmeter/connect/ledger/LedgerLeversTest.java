package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.connect.fixtures.LocalRegistry;
import dev.costmeter.connect.fixtures.RecordingContext;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The levers, the waste and the envelope in PostgreSQL (V5), against a real PostgreSQL: a hand-built
 * day of ledger rows whose lever savings metering priced (the same calls as metering-stream's
 * {@code LeversTopologyTest}, amounts written out there and below), and the views' figures checked
 * against amounts computed by hand here. {@code MonthlyEnvelopeTest} in pricing feeds the same days
 * to the Java rule and expects the same three numbers.
 *
 * <pre>
 * 2026-11-27, tenant acme
 * c1 /chat  sonnet t1 in 1,000 out 200 reads 10,000       cost  9,000,000  cache +27,000,000
 * c2 /draft sonnet t2 in 1,000 writes 4,000 (2,000 1h)    cost 22,500,000  cache  -7,500,000 (written, never read)
 * c3 /chat  sonnet t3 batch in 10,000 out 1,000           cost 22,500,000  batch +22,500,000
 * c4 /chat  mini   t3 batch in 10,000 out 1,000           cost  2,100,000  batch 0 (no batch rate)
 * c5 /chat  sonnet t2 attempt 2 in 1,000 out 200          cost  6,000,000  retry waste
 * outcomes: t1 SUCCESS, t2 FAILURE (c2 is failed-task waste; c5 counts as a retry only), t3 SUCCESS
 * </pre>
 */
class LedgerLeversTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final String LEDGER = "llm.ledger.v1";
    private static final String OUTCOMES = "llm.task-outcomes.v1";
    private static final Instant DAY = Instant.parse("2026-11-27T09:00:00Z");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static LocalRegistry registry;

    private LedgerSinkTask task;
    private String schema;
    private long offset;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = new LocalRegistry();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @BeforeEach
    void start() {
        schema = "levers_test_" + SCHEMAS.incrementAndGet();
        Map<String, String> props = new HashMap<>();
        props.put("topics", LEDGER + "," + OUTCOMES);
        props.put("connection.url", POSTGRES.jdbcUrl());
        props.put("connection.user", POSTGRES.user());
        props.put("connection.password", POSTGRES.password());
        props.put("db.schema", schema);
        props.put("schema.registry.url", registry.url());
        task = new LedgerSinkTask();
        task.initialize(new RecordingContext(props));
        task.start(props);
        List<SinkRecord> batch = new ArrayList<>();
        batch.add(ledger(call("c1", "t1", 0, 3_000_000L, 3_000_000L).setOutputTokens(200).setCacheReadTokens(10_000)
                .setCacheReadCostNanos(3_000_000L).setCostNanos(9_000_000L).setCacheSavingsNanos(27_000_000L).build()));
        batch.add(ledger(call("c2", "t2", 1, 3_000_000L, 0L).setRoute("/draft").setOutputTokens(0).setCacheWriteTokens(4_000)
                .setCacheWrite1hTokens(2_000).setCacheWriteCostNanos(7_500_000L + 12_000_000L)
                .setCacheWrite1hCostNanos(12_000_000L).setCostNanos(22_500_000L).setCacheSavingsNanos(-7_500_000L).build()));
        batch.add(ledger(call("c3", "t3", 2, 15_000_000L, 7_500_000L).setInputTokens(10_000).setOutputTokens(1_000)
                .setBatch(true).setBatchSavingsNanos(22_500_000L).build()));
        batch.add(ledger(call("c4", "t3", 3, 1_500_000L, 600_000L).setProvider("openai").setModel("gpt-4o-mini")
                .setInputTokens(10_000).setOutputTokens(1_000).setBatch(true).build()));
        batch.add(ledger(call("c5", "t2", 4, 3_000_000L, 3_000_000L).setOutputTokens(200).setAttempt(2).build()));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "t1", Records.outcome("t1", Outcome.SUCCESS, DAY.plusSeconds(60))));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "t2", Records.outcome("t2", Outcome.FAILURE, DAY.plusSeconds(60))));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "t3", Records.outcome("t3", Outcome.SUCCESS, DAY.plusSeconds(60))));
        task.put(batch);
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    @Test
    void shouldKeepEachCallsLeverSavingsInTheLedger() throws Exception {
        assertThat(query("SELECT cache_savings_nanos FROM ledger WHERE event_id = 'c2'")).isEqualTo("-7500000");
        assertThat(query("SELECT batch_savings_nanos FROM ledger WHERE event_id = 'c3'")).isEqualTo("22500000");
    }

    @Test
    void shouldSumEachLeversSavingsPerDayAndScope() throws Exception {
        assertThat(query("SELECT sum(calls) || ' ' || sum(cost_nanos) || ' ' || sum(cache_calls) || ' ' || sum(cache_savings_nanos)"
                + " || ' ' || sum(batch_calls) || ' ' || sum(batch_tokens) || ' ' || sum(batch_savings_nanos)"
                + " FROM lever_savings_daily WHERE day = '2026-11-27' AND tenant_id = 'acme'"))
                .isEqualTo("5 62100000 2 19500000 2 22000 22500000");
        // The route whose cache was written and never read lost money on it.
        assertThat(query("SELECT cache_savings_nanos || ' ' || cache_savings_usd FROM lever_savings_daily WHERE route = '/draft'"))
                .isEqualTo("-7500000 -0.007500000");
        // Batch calls of a model without a batch rate: counted, saving nothing.
        assertThat(query("SELECT batch_calls || ' ' || batch_savings_nanos FROM lever_savings_daily WHERE model = 'gpt-4o-mini'"))
                .isEqualTo("1 0");
    }

    @Test
    void shouldCountEachWastedCallInOneCategoryRetriesFirst() throws Exception {
        assertThat(query("SELECT sum(retry_calls) || ' ' || sum(retry_waste_nanos) || ' ' || sum(failed_task_calls) || ' '"
                + " || sum(failed_task_waste_nanos) || ' ' || sum(waste_nanos) || ' ' || sum(waste_usd) FROM waste_daily"))
                .isEqualTo("1 6000000 1 22500000 28500000 0.028500000");
    }

    @Test
    void shouldProjectTheMonthOfEachScopeThroughEachDayWithTheSharedRule() throws Exception {
        // Through 27 November, n = 27, r = 3: S = 62,100,000, W = 6,000,000, P = 62,100,000
        //   base  = S + 3 x 62,100,000 / 27 = 62,100,000 + 6,900,000 = 69,000,000
        //   worst = S + 3 x 62,100,000 = 248,400,000
        //   best  = S + 3 x 56,100,000 / 27 = S + 6,233,333.33 -> 68,333,333 (a mean day rounded first,
        //           2,077,778 x 3 = 6,233,334, would give 68,333,334)
        String row = "SELECT spent_nanos || ' ' || waste_nanos || ' ' || best_nanos || ' ' || base_nanos || ' ' || worst_nanos"
                + " FROM monthly_projection WHERE month = '2026-11-01' AND through_day = '2026-11-27' AND dimension = ";
        assertThat(query(row + "'tenant' AND scope = 'acme'")).isEqualTo("62100000 6000000 68333333 69000000 248400000");
        assertThat(query(row + "'all' AND scope = 'all'")).isEqualTo("62100000 6000000 68333333 69000000 248400000");
        // Through the 26th nothing was spent: all three are 0; through the month's last day all three are what was spent.
        assertThat(query("SELECT best_nanos || ' ' || base_nanos || ' ' || worst_nanos FROM monthly_projection"
                + " WHERE dimension = 'tenant' AND through_day = '2026-11-26'")).isEqualTo("0 0 0");
        assertThat(query("SELECT best_nanos || ' ' || base_nanos || ' ' || worst_nanos || ' ' || base_usd FROM monthly_projection"
                + " WHERE dimension = 'tenant' AND through_day = '2026-11-30'")).isEqualTo("62100000 62100000 62100000 0.062100000");
        // Scopes are named as metering's API names them.
        assertThat(query("SELECT spent_nanos FROM monthly_projection WHERE dimension = 'model'"
                + " AND scope = 'openai/gpt-4o-mini' AND through_day = '2026-11-27'")).isEqualTo("2100000");
        assertThat(query("SELECT spent_nanos || ' ' || worst_nanos FROM monthly_projection WHERE dimension = 'route'"
                + " AND scope = '/draft' AND through_day = '2026-11-27'")).isEqualTo("22500000 90000000");
    }

    /** A sonnet call of {@code DAY + second}, input 1,000 tokens, with the input and output costs given. */
    private static PricedUsage.Builder call(String eventId, String taskId, int second, long inputCost, long outputCost) {
        return Records.pricedUsage(eventId, taskId, DAY.plusSeconds(second), inputCost + outputCost)
                .setInputTokens(1_000).setInputCostNanos(inputCost).setOutputCostNanos(outputCost);
    }

    private SinkRecord ledger(PricedUsage value) {
        return registry.sinkRecord(LEDGER, 0, offset++, value.getEventId(), value);
    }

    private String query(String sql) throws SQLException {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            try (ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next()).as("a row from %s", sql).isTrue();
                String value = rs.getString(1);
                assertThat(rs.next()).as("one row only from %s", sql).isFalse();
                return value;
            }
        }
    }
}
