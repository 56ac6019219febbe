package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.connect.fixtures.LocalRegistry;
import dev.costmeter.connect.fixtures.RecordingContext;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.testkit.PostgresExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The COPY write path against a real PostgreSQL: text that COPY's format would misread unless
 * escaped arrives exactly as received, a value PostgreSQL refuses fails its record alone, and COPY
 * and the multi-row INSERT write identical tables from the same records.
 */
class LedgerCopyWriteTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final String LEDGER = "llm.ledger.v1";
    private static final String ROLLUPS = "llm.rollups.v1";
    private static final String OUTCOMES = "llm.task-outcomes.v1";
    private static final String CORRECTIONS = "llm.ledger-corrections.v1";
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00.123Z");
    private static final AtomicInteger SCHEMAS = new AtomicInteger();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every character COPY's text format gives a meaning, and some it does not. */
    private static final List<String> HOSTILE = List.of(
            "tab\there", "line\nbreak", "carriage\rreturn", "back\\slash", "\\N", "\\", "ends with backslash\\",
            "\\t not a tab", "'single' \"double\"", "équipe ß 東京 🚀", "mixed é\t\\\n🚀\r", " ", "comma, semicolon; pipe |",
            "\u2028line separator\u2029", "NULL", "null");
    private static LocalRegistry registry;

    private final List<LedgerSinkTask> tasks = new ArrayList<>();
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
    void stopTasks() {
        tasks.forEach(LedgerSinkTask::stop);
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy", "insert"})
    void shouldWriteTextThatCopyWouldMisreadExactlyAsReceived(String method) throws Exception {
        String schema = schema(method);
        List<SinkRecord> batch = new ArrayList<>();
        List<PricedUsage> sent = new ArrayList<>();
        for (int i = 0; i < HOSTILE.size(); i++) {
            String text = HOSTILE.get(i);
            PricedUsage call = Records.pricedUsage("e" + i, "task " + text, T0, 1000 + i)
                    .setEndUserId(text).setToolName(text).setPromptVersion(text).setServiceTier(text).setRoute(text)
                    .setLabels(Map.of("k", text, text, "v")).build();
            sent.add(call);
            batch.add(usage(call));
        }
        RecordingContext context = startTask(schema, method);
        tasks.get(0).put(batch);

        assertThat(context.reported).isEmpty();
        for (PricedUsage call : sent) {
            List<String> row = row(schema, "SELECT task_id, end_user_id, tool_name, prompt_version, service_tier, route, "
                    + "labels::text FROM ledger WHERE event_id = '" + call.getEventId() + "'");
            assertThat(row.subList(0, 6)).containsExactly(call.getTaskId(), call.getEndUserId(), call.getToolName(),
                    call.getPromptVersion(), call.getServiceTier(), call.getRoute());
            assertThat(JSON.readValue(row.get(6), Map.class)).isEqualTo(call.getLabels());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"copy", "insert"})
    void shouldSendARecordWithANulCharacterAloneToTheReporter(String method) throws Exception {
        String schema = schema(method);
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(usage(Records.pricedUsage("ok" + i, "t", T0, 100).build()));
        }
        SinkRecord nul = usage(Records.pricedUsage("nul", "t", T0, 100).setEndUserId("user\u0000x").build());
        batch.add(2, nul);
        RecordingContext context = startTask(schema, method);
        tasks.get(0).put(batch);

        assertThat(context.reported).extracting(RecordingContext.Reported::record).containsExactly(nul);
        assertThat(row(schema, "SELECT count(*), sum(cost_nanos) FROM ledger")).containsExactly("5", "500");
    }

    @Test
    void shouldWriteTheSameTablesWithCopyAsWithInsert() throws Exception {
        Map<String, String> schemas = Map.of("copy", schema("copy"), "insert", schema("insert"));
        for (Map.Entry<String, String> method : schemas.entrySet()) {
            offset = 0;
            startTask(method.getValue(), method.getKey());
            LedgerSinkTask task = tasks.get(tasks.size() - 1);
            task.put(mixedBatch());
            // Redelivered, as after a restart: nothing changes.
            task.put(mixedBatch());
        }
        for (String table : List.of("ledger", "rollups", "task_outcomes", "ledger_corrections")) {
            String columns = "SELECT * FROM %s.%s ORDER BY 1, 2, 3, 4";
            List<List<String>> copied = rows(String.format(columns, schemas.get("copy"), table));
            List<List<String>> inserted = rows(String.format(columns, schemas.get("insert"), table));
            assertThat(copied).as(table).isNotEmpty().isEqualTo(inserted);
        }
    }

    @Test
    void shouldMergeInsteadWhenARowCollidesWithAWriterTheLookupDidNotSee() throws Exception {
        String schema = schema("collide");
        startTask(schema, "copy"); // creates the schema
        PricedUsage theirs = Records.pricedUsage("x", "t", T0, 111).build();
        List<Sourced<PricedUsage>> ours = new ArrayList<>();
        for (String id : List.of("a", "x", "b")) {
            PricedUsage call = Records.pricedUsage(id, "t", T0, 222).build();
            ours.add(new Sourced<>(call, usage(call)));
        }
        try (Connection other = POSTGRES.connection(); Connection sink = POSTGRES.connection()) {
            for (Connection c : List.of(other, sink)) {
                try (Statement s = c.createStatement()) {
                    s.execute("SET search_path TO " + schema);
                }
                c.setAutoCommit(false);
            }
            LedgerTables.LEDGER.createStaging(sink); // as LedgerWriter does once per session
            sink.commit();
            // Another writer of "x", not committed yet: the sink's lookup cannot see it, its COPY waits for it.
            LedgerTables.LEDGER.insert(other, List.of(new Sourced<>(theirs, usage(theirs))), 10);
            java.util.concurrent.CompletableFuture<Void> write = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    NewLedgerRows.write(sink, ours);
                    sink.commit();
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            dev.costmeter.connect.fixtures.Poll.until(java.time.Duration.ofSeconds(60), () -> rows(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'COPY ledger %'")
                    .get(0).get(0).equals("1"), () -> "the sink's COPY is not waiting for the other writer");
            other.commit();
            write.get();
        }
        assertThat(rows("SELECT event_id, cost_nanos FROM " + schema + ".ledger ORDER BY event_id"))
                .containsExactly(List.of("a", "222"), List.of("b", "222"), List.of("x", "111"));
    }

    private List<SinkRecord> mixedBatch() {
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(usage(Records.pricedUsage("m" + i, "task-" + (i % 4), T0.plusSeconds(i), 1_000_003L * i)
                    .setStep(i % 3 == 0 ? null : i).setProviderCostNanos(i % 2 == 0 ? null : 77L * i)
                    .setRequestCounts(i % 5 == 0 ? Map.of("web_search", (long) i) : Map.of())
                    .setEndUserId(i % 7 == 0 ? "Zoë\t" + i : null).build()));
        }
        batch.add(usage(Records.pricedUsage("m3", "task-3", T0, 1).build())); // the same id again, another cost: first wins
        batch.add(registry.sinkRecord(ROLLUPS, 0, offset++, "r", Records.rollup("acme", T0, 500, T0.plusSeconds(5)).build()));
        batch.add(registry.sinkRecord(ROLLUPS, 0, offset++, "r", Records.rollup("acme", T0, 900, T0.plusSeconds(9)).build()));
        batch.add(registry.sinkRecord(ROLLUPS, 0, offset++, "r", Records.rollup("acme", T0, 700, T0.plusSeconds(7)).build()));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "task-1", Records.outcome("task-1", Outcome.FAILURE, T0)));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "task-1",
                Records.outcome("task-1", Outcome.SUCCESS, T0.plusSeconds(60))));
        batch.add(registry.sinkRecord(CORRECTIONS, 0, offset++, "m1", correction("m1")));
        return batch;
    }

    private static LedgerCorrection correction(String eventId) {
        return LedgerCorrection.newBuilder()
                .setCorrectionId(eventId + "@v2").setEventId(eventId).setEventTime(T0).setTenantId("acme").setTaskId("task-1")
                .setTaskClass("support_reply").setRoute("/chat").setProvider("anthropic").setModel("claude-sonnet")
                .setAttempt(1).setOldCostNanos(1_000_003L).setNewCostNanos(1_500_003L).setCostDeltaNanos(500_000L)
                .setInputCostDeltaNanos(500_000L).setOutputCostDeltaNanos(0).setCacheReadCostDeltaNanos(0)
                .setCacheWriteCostDeltaNanos(0).setRequestFeesCostDeltaNanos(0).setSavingsDeltaNanos(0).setWasPriced(true)
                .setOldPriceVersion("2026-11-01").setNewPriceVersion("v2").setReason("operator: test").setIssuedAt(T0.plusSeconds(3600))
                .build();
    }

    private String schema(String method) {
        return "copy_test_" + method + "_" + SCHEMAS.incrementAndGet();
    }

    private RecordingContext startTask(String schema, String method) {
        Map<String, String> props = new HashMap<>();
        props.put("topics", String.join(",", LEDGER, ROLLUPS, OUTCOMES, CORRECTIONS));
        props.put("connection.url", POSTGRES.jdbcUrl());
        props.put("connection.user", POSTGRES.user());
        props.put("connection.password", POSTGRES.password());
        props.put("db.schema", schema);
        props.put("write.method", method);
        props.put("batch.max.rows", "7");
        props.put("schema.registry.url", registry.url());
        LedgerSinkTask task = new LedgerSinkTask();
        RecordingContext context = new RecordingContext(props);
        task.initialize(context);
        task.start(props);
        tasks.add(task);
        return context;
    }

    private SinkRecord usage(PricedUsage value) {
        return registry.sinkRecord(LEDGER, 0, offset++, value.getEventId(), value);
    }

    private List<String> row(String schema, String sql) throws SQLException {
        List<List<String>> rows = rows(sql.replace(" FROM ledger", " FROM " + schema + ".ledger"));
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    /** Every column as PostgreSQL prints it, except {@code written_at} (the time of writing). */
    private static List<List<String>> rows(String sql) throws SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (!meta.getColumnName(i).equals("written_at")) {
                        row.add(rs.getString(i));
                    }
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
