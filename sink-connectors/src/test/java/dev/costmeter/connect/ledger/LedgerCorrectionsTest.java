package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.connect.fixtures.LocalRegistry;
import dev.costmeter.connect.fixtures.RecordingContext;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.Outcome;
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
 * Corrections in the PostgreSQL ledger, against a real PostgreSQL and the real registry server: their
 * own table, idempotent on correction id, the original rows untouched, the views netting them, the
 * audit view and the FOCUS export, each checked against amounts computed by hand here.
 */
class LedgerCorrectionsTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final String LEDGER = "llm.ledger.v1";
    private static final String OUTCOMES = "llm.task-outcomes.v1";
    private static final String CORRECTIONS = "llm.ledger-corrections.v1";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static LocalRegistry registry;

    private final List<LedgerSinkTask> tasks = new ArrayList<>();
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
        schema = "corrections_test_" + SCHEMAS.incrementAndGet();
        Map<String, String> props = new HashMap<>();
        props.put("topics", LEDGER + "," + OUTCOMES + "," + CORRECTIONS);
        props.put("connection.url", POSTGRES.jdbcUrl());
        props.put("connection.user", POSTGRES.user());
        props.put("connection.password", POSTGRES.password());
        props.put("db.schema", schema);
        props.put("schema.registry.url", registry.url());
        LedgerSinkTask task = new LedgerSinkTask();
        task.initialize(new RecordingContext(props));
        task.start(props);
        tasks.add(task);
    }

    @AfterEach
    void stop() {
        tasks.forEach(LedgerSinkTask::stop);
    }

    /*
     * Task t1, 2026-11-27:
     *   a  09:10  priced with 2026-11-01: input 1,000,000 + output 2,000,000 = 3,000,000 nano-USD
     *   u  09:20  unpriced: 0
     * Corrections:
     *   u@v2  issued 2026-11-27 12:00: 0 -> 7,500,000 (input +2,500,000, output +5,000,000)
     *   a@v2  issued 2026-12-02 08:00: 3,000,000 -> 2,000,000 (input -500,000, output -500,000)
     * Net: 3,000,000 + 0 + 7,500,000 - 1,000,000 = 9,500,000 nano-USD = 0.0095 USD.
     */
    private void writeTheExample() {
        List<SinkRecord> batch = new ArrayList<>();
        batch.add(ledger(Records.pricedUsage("a", "t1", Instant.parse("2026-11-27T09:10:00Z"), 3_000_000L)
                .setInputCostNanos(1_000_000L).setOutputCostNanos(2_000_000L).build()));
        batch.add(ledger(Records.pricedUsage("u", "t1", Instant.parse("2026-11-27T09:20:00Z"), 0L)
                .setInputCostNanos(0L).setOutputCostNanos(0L).setPriced(false).setPriceVersion(null).build()));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "t1",
                Records.outcome("t1", Outcome.SUCCESS, Instant.parse("2026-11-27T10:00:00Z"))));
        tasks.get(0).put(batch);
        LedgerCorrection unpriced = correction("u", "2026-11-27T09:20:00Z", 0L, 7_500_000L, 2_500_000L, 5_000_000L,
                "2026-11-27T12:00:00Z").setWasPriced(false).setOldPriceVersion(null).build();
        LedgerCorrection repriced = correction("a", "2026-11-27T09:10:00Z", 3_000_000L, 2_000_000L, -500_000L, -500_000L,
                "2026-12-02T08:00:00Z").build();
        tasks.get(0).put(List.of(correctionRecord(unpriced), correctionRecord(repriced)));
        // Delivered again (a replay): nothing changes.
        tasks.get(0).put(List.of(correctionRecord(unpriced)));
    }

    @Test
    void shouldKeepTheOriginalRowsAndStoreEachCorrectionOnce() throws Exception {
        writeTheExample();

        assertThat(query("SELECT cost_nanos FROM ledger WHERE event_id = 'a'")).isEqualTo("3000000");
        assertThat(query("SELECT cost_nanos FROM ledger WHERE event_id = 'u'")).isEqualTo("0");
        assertThat(query("SELECT priced FROM ledger WHERE event_id = 'u'")).isEqualTo("f");
        assertThat(query("SELECT count(*) FROM ledger_corrections")).isEqualTo("2");
        assertThat(query("SELECT net_cost_nanos FROM ledger_net WHERE event_id = 'u'")).isEqualTo("7500000");
        assertThat(query("SELECT net_cost_nanos FROM ledger_net WHERE event_id = 'a'")).isEqualTo("2000000");
        assertThat(query("SELECT sum(net_cost_nanos) FROM ledger_net")).isEqualTo("9500000");
    }

    @Test
    void shouldNetCorrectionsInEveryReaderView() throws Exception {
        writeTheExample();

        assertThat(query("SELECT calls || ' ' || cost_nanos || ' ' || cost_usd FROM daily_spend WHERE day = '2026-11-27'"))
                .isEqualTo("2 9500000 0.009500000");
        assertThat(query("SELECT calls || ' ' || cost_nanos || ' ' || outcome FROM task_spend WHERE task_id = 't1'"))
                .isEqualTo("2 9500000 SUCCESS");
        assertThat(query("SELECT cost_nanos || ' ' || cost_per_success_nanos FROM cost_per_successful_task"))
                .isEqualTo("9500000 9500000");
        assertThat(query("SELECT cost_nanos FROM top_tasks_daily WHERE rank = 1")).isEqualTo("9500000");
        assertThat(query("SELECT calls || ' ' || retries FROM retries_daily")).isEqualTo("2 0");
        assertThat(query("SELECT spent_nanos FROM monthly_projection WHERE month = '2026-11-01'"
                + " AND dimension = 'all' AND through_day = '2026-11-30'")).isEqualTo("9500000");
    }

    @Test
    void shouldListCorrectionsInTheAuditView() throws Exception {
        writeTheExample();

        assertThat(query("SELECT string_agg(correction_id || ':' || cost_delta_nanos || ':' || coalesce(old_price_version, '-')"
                + " || '>' || new_price_version || ':' || ledgered_cost_nanos, ' ' ORDER BY issued_at DESC) FROM correction_audit"))
                .isEqualTo("a@v2:-1000000:2026-11-01>v2:3000000 u@v2:7500000:->v2:0");
        assertThat(query("SELECT cost_delta_usd FROM correction_audit WHERE event_id = 'a'")).isEqualTo("-0.001000000");
    }

    @Test
    void shouldExportTheLedgerInFocusColumns() throws Exception {
        writeTheExample();

        // Usage rows: a/Input, a/Output, u/Input, u/Output (no cache tokens); two Adjustment rows.
        assertThat(query("SELECT count(*) FROM focus_costs WHERE \"ChargeCategory\" = 'Usage'")).isEqualTo("4");
        assertThat(query("SELECT count(*) FROM focus_costs WHERE \"ChargeCategory\" = 'Adjustment'")).isEqualTo("2");
        assertThat(query("SELECT sum(\"BilledCost\") FROM focus_costs")).isEqualTo("0.009500000");
        assertThat(query("SELECT concat_ws('|', \"BilledCost\", \"EffectiveCost\", \"ListCost\", \"ContractedCost\","
                + " \"ConsumedQuantity\", \"ConsumedUnit\", \"PricingQuantity\", \"PricingUnit\", \"SkuId\", \"SkuPriceId\","
                + " \"ServiceName\", \"ProviderName\", \"BillingCurrency\", \"Tags\"::text)"
                + " FROM focus_costs WHERE \"x_EventId\" = 'a' AND \"ChargeCategory\" = 'Usage' AND \"SkuId\" LIKE '%/Input'"))
                .isEqualTo("0.001000000|0.001000000|0.001000000|0.001000000|1200|Tokens|0.001200|1000000 Tokens"
                        + "|anthropic/claude-sonnet/Input|2026-11-01/Input|claude-sonnet|anthropic|USD|{\"team\": \"care\"}");
        assertThat(query("SELECT to_char(\"ChargePeriodStart\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' '"
                + " || to_char(\"ChargePeriodEnd\" AT TIME ZONE 'UTC', 'HH24:MI') || ' '"
                + " || to_char(\"BillingPeriodStart\" AT TIME ZONE 'UTC', 'YYYY-MM-DD') || ' '"
                + " || to_char(\"BillingPeriodEnd\" AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
                + " FROM focus_costs WHERE \"x_EventId\" = 'u' AND \"ChargeCategory\" = 'Usage' AND \"SkuId\" LIKE '%/Output'"))
                .isEqualTo("2026-11-27 09:00 10:00 2026-11-01 2026-12-01");
        // The correction issued in December corrects a November charge; the one issued in November does not.
        assertThat(query("SELECT concat_ws('|', \"BilledCost\", \"ChargeClass\", \"ConsumedQuantity\","
                + " to_char(\"BillingPeriodStart\" AT TIME ZONE 'UTC', 'YYYY-MM-DD'), \"x_CorrectionId\")"
                + " FROM focus_costs WHERE \"ChargeCategory\" = 'Adjustment' AND \"x_EventId\" = 'a'"))
                .isEqualTo("-0.001000000|Correction|2026-12-01|a@v2");
        assertThat(query("SELECT concat_ws('|', \"BilledCost\", coalesce(\"ChargeClass\", 'none'),"
                + " to_char(\"BillingPeriodStart\" AT TIME ZONE 'UTC', 'YYYY-MM-DD'))"
                + " FROM focus_costs WHERE \"ChargeCategory\" = 'Adjustment' AND \"x_EventId\" = 'u'"))
                .isEqualTo("0.007500000|none|2026-11-01");
    }

    private SinkRecord ledger(dev.costmeter.contracts.PricedUsage value) {
        return registry.sinkRecord(LEDGER, 0, offset++, value.getEventId(), value);
    }

    private SinkRecord correctionRecord(LedgerCorrection value) {
        return registry.sinkRecord(CORRECTIONS, 0, offset++, value.getEventId(), value);
    }

    private static LedgerCorrection.Builder correction(String eventId, String eventTime, long oldCost, long newCost,
            long inputDelta, long outputDelta, String issuedAt) {
        return LedgerCorrection.newBuilder()
                .setCorrectionId(eventId + "@v2").setEventId(eventId).setEventTime(Instant.parse(eventTime))
                .setTenantId("acme").setTaskId("t1").setTaskClass("support_reply").setRoute("/chat")
                .setProvider("anthropic").setModel("claude-sonnet")
                .setOldCostNanos(oldCost).setNewCostNanos(newCost).setCostDeltaNanos(newCost - oldCost)
                .setInputCostDeltaNanos(inputDelta).setOutputCostDeltaNanos(outputDelta)
                .setCacheReadCostDeltaNanos(0L).setCacheWriteCostDeltaNanos(0L)
                .setWasPriced(true).setOldPriceVersion("2026-11-01").setNewPriceVersion("v2")
                .setReason("operator: rate fix").setIssuedAt(Instant.parse(issuedAt));
    }

    private String query(String sql) throws SQLException {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            try (ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next()).as("a row from %s", sql).isTrue();
                return rs.getString(1);
            }
        }
    }
}
