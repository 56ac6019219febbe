package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.connect.fixtures.LocalRegistry;
import dev.costmeter.connect.fixtures.RecordingContext;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pricing dimensions of a ledger row (migration V3) in a real PostgreSQL. */
class LedgerPricingDimensionsTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final String LEDGER = "llm.ledger.v1";
    private static final String SCHEMA = "ledger_dimensions";
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    private static LocalRegistry registry;

    private LedgerSinkTask task;
    private RecordingContext context;
    private long offset;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = new LocalRegistry();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    @AfterEach
    void stopTask() {
        if (task != null) {
            task.stop();
        }
    }

    private void startTask(String schema) {
        Map<String, String> props = new HashMap<>();
        props.put("topics", LEDGER);
        props.put("connection.url", POSTGRES.jdbcUrl());
        props.put("connection.user", POSTGRES.user());
        props.put("connection.password", POSTGRES.password());
        props.put("db.schema", schema);
        props.put("schema.registry.url", registry.url());
        task = new LedgerSinkTask();
        context = new RecordingContext(props);
        task.initialize(context);
        task.start(props);
    }

    private SinkRecord record(PricedUsage value) {
        return registry.sinkRecord(LEDGER, 0, offset++, value.getEventId(), value);
    }

    @Test
    void shouldStoreOneHourWritesServiceTierRequestFeesAndTheUnpricedReason() throws Exception {
        startTask(SCHEMA);
        // 1,000 in at $6/M, 200 out at $30/M, 3,000 writes of which 1,000 for an hour, 2 web searches at $0.01.
        PricedUsage priced = Records.pricedUsage("dims", "t1", T0, 59_000_000L).setInputCostNanos(6_000_000L)
                .setOutputCostNanos(6_000_000L).setCacheWriteTokens(3_000).setCacheWriteCostNanos(27_000_000L)
                .setCacheWrite1hTokens(1_000).setCacheWrite1hCostNanos(12_000_000L).setServiceTier("priority")
                .setRequestCounts(Map.of("web_search", 2L)).setRequestFeesCostNanos(20_000_000L).build();
        PricedUsage unpriced = Records.pricedUsage("none", "t1", T0, 0).setPriced(false).setPriceVersion(null)
                .setUnpricedReason("openai/x@1 has no rates for service tier 'scale'").build();
        task.put(List.of(record(priced), record(unpriced)));

        assertThat(context.reported).isEmpty();
        assertThat(row("SELECT cache_write_1h_tokens, cache_write_1h_cost_nanos, service_tier, request_counts::text,"
                + " request_fees_cost_nanos, cost_nanos FROM ledger WHERE event_id = 'dims'"))
                .containsExactly("1000", "12000000", "priority", "{\"web_search\": 2}", "20000000", "59000000");
        assertThat(row("SELECT unpriced_reason, service_tier, request_counts::text FROM ledger WHERE event_id = 'none'"))
                .containsExactly("openai/x@1 has no rates for service tier 'scale'", null, "{}");
    }

    @Test
    void shouldRefuseARowWhoseFeesAreLeftOutOfItsTotal() throws Exception {
        startTask(SCHEMA + "_refused");
        SinkRecord broken = record(Records.pricedUsage("broken", "t1", T0, 900)
                .setRequestCounts(Map.of("web_search", 1L)).setRequestFeesCostNanos(10_000_000L).build());
        task.put(List.of(broken));

        assertThat(context.reported).extracting(RecordingContext.Reported::record).containsExactly(broken);
        assertThat(context.reported.get(0).error()).hasMessageContaining("ledger_breakdown_adds_up");
    }

    private List<String> row(String sql) throws SQLException {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + SCHEMA);
            try (ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next()).as("a row for %s", sql).isTrue();
                java.util.ArrayList<String> values = new java.util.ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    values.add(rs.getString(i));
                }
                return values;
            }
        }
    }
}
