package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The task against a real PostgreSQL and the real registry server; each test has its own schema. */
class LedgerSinkTaskTest {

    @RegisterExtension
    static final PostgresExtension POSTGRES = PostgresExtension.freshDatabase();

    private static final String LEDGER = "llm.ledger.v1";
    private static final String ROLLUPS = "llm.rollups.v1";
    private static final String OUTCOMES = "llm.task-outcomes.v1";
    private static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
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
    void pickSchema() {
        schema = "ledger_test_" + SCHEMAS.incrementAndGet();
    }

    @AfterEach
    void stopTasks() {
        tasks.forEach(LedgerSinkTask::stop);
    }

    private Map<String, String> props() {
        Map<String, String> props = new HashMap<>();
        props.put("topics", LEDGER + "," + ROLLUPS + "," + OUTCOMES);
        props.put("connection.url", POSTGRES.jdbcUrl());
        props.put("connection.user", POSTGRES.user());
        props.put("connection.password", POSTGRES.password());
        props.put("db.schema", schema);
        props.put("batch.max.rows", "7"); // several statements per put, to cover chunking
        props.put("retry.backoff.ms", "1234");
        props.put("max.retries", "2");
        props.put("schema.registry.url", registry.url());
        return props;
    }

    /** The tasks' clock: tests move it on as Connect would wait, instead of waiting. */
    private final java.util.concurrent.atomic.AtomicLong clockNanos = new java.util.concurrent.atomic.AtomicLong();

    private void waitOutTheBackoff(RecordingContext context) {
        clockNanos.addAndGet(java.time.Duration.ofMillis(context.timeouts.get(context.timeouts.size() - 1)).toNanos());
    }

    private record Started(LedgerSinkTask task, RecordingContext context) {
    }

    private Started startTaskOnAnUnreachableDatabase() throws Exception {
        Map<String, String> props = props();
        props.put("connection.url", "jdbc:postgresql://127.0.0.1:" + closedPort() + "/postgres");
        LedgerSinkTask task = new LedgerSinkTask(clockNanos::get);
        RecordingContext context = new RecordingContext(props);
        task.initialize(context);
        tasks.add(task);
        task.start(props);
        return new Started(task, context);
    }

    private RecordingContext startTask() {
        LedgerSinkTask task = new LedgerSinkTask(clockNanos::get);
        RecordingContext context = new RecordingContext(props());
        task.initialize(context);
        task.start(props());
        tasks.add(task);
        return context;
    }

    private SinkRecord usage(String eventId, long costNanos) {
        return usage(Records.pricedUsage(eventId, "task-" + eventId, T0, costNanos).build());
    }

    private SinkRecord usage(PricedUsage value) {
        return registry.sinkRecord(LEDGER, 0, offset++, value.getEventId(), value);
    }

    private long query(String sql) throws SQLException {
        try (Connection c = POSTGRES.connection(); Statement s = c.createStatement()) {
            s.execute("SET search_path TO " + schema);
            try (ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private List<SinkRecord> usageBatch(int count, long costEach) {
        List<SinkRecord> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            batch.add(usage("e" + i, costEach + i));
        }
        return batch;
    }

    @Test
    void shouldWriteEachEventOnceWhenTheSameBatchIsDeliveredTwice() throws Exception {
        startTask();
        List<SinkRecord> batch = usageBatch(20, 1_000_000);
        tasks.get(0).put(batch);
        tasks.get(0).put(batch);
        assertThat(query("SELECT count(*) FROM ledger")).isEqualTo(20);
        assertThat(query("SELECT sum(cost_nanos) FROM ledger")).isEqualTo(20 * 1_000_000L + 190);
    }

    @Test
    void shouldSendAnUndecodableRecordAloneToTheReporter() throws Exception {
        RecordingContext context = startTask();
        List<SinkRecord> batch = usageBatch(5, 10);
        SinkRecord garbage = new SinkRecord(LEDGER, 0, null, null, null, new byte[] {1, 2, 3}, offset++);
        batch.add(2, garbage);
        tasks.get(0).put(batch);
        assertThat(context.reported).extracting(RecordingContext.Reported::record).containsExactly(garbage);
        assertThat(query("SELECT count(*) FROM ledger")).isEqualTo(5);
    }

    @Test
    void shouldHaveConnectRedeliverRatherThanDeadLetterWhileTheRegistryCannotAnswer() throws Exception {
        List<SinkRecord> batch = usageBatch(5, 10);
        Map<String, String> unreachable = props();
        unreachable.put("schema.registry.url", "http://127.0.0.1:" + closedPort());
        LedgerSinkTask task = new LedgerSinkTask();
        RecordingContext context = new RecordingContext(unreachable);
        task.initialize(context);
        task.start(unreachable);
        tasks.add(task);

        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class)
                .hasMessageContaining("schema registry cannot answer");
        assertThat(context.reported).isEmpty();
        assertThat(context.timeouts).containsExactly(1234L);

        // The registry is back (here: a task that reaches it); the redelivered batch is written whole.
        startTask();
        tasks.get(1).put(batch);
        assertThat(query("SELECT count(*) FROM ledger")).isEqualTo(5);
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Test
    void shouldReportOnlyTheRowWhoseBreakdownDoesNotAddUp() throws Exception {
        RecordingContext context = startTask();
        List<SinkRecord> batch = usageBatch(10, 100);
        SinkRecord broken = usage(Records.pricedUsage("broken", "t", T0, 500).setOutputCostNanos(1).build());
        batch.add(4, broken);
        tasks.get(0).put(batch);
        assertThat(context.reported).extracting(RecordingContext.Reported::record).containsExactly(broken);
        assertThat(context.reported.get(0).error()).hasMessageContaining("ledger_breakdown_adds_up");
        assertThat(query("SELECT count(*) FROM ledger")).isEqualTo(10);
    }

    @Test
    void shouldKeepTheNewestRollupWhenAnOlderVersionArrivesLater() throws Exception {
        startTask();
        Instant window = T0;
        SinkRecord newer = registry.sinkRecord(ROLLUPS, 0, offset++, "k",
                Records.rollup("acme", window, 900, T0.plusSeconds(30)).build());
        SinkRecord older = registry.sinkRecord(ROLLUPS, 0, offset++, "k",
                Records.rollup("acme", window, 400, T0.plusSeconds(10)).build());
        SinkRecord oldest = registry.sinkRecord(ROLLUPS, 0, offset++, "k",
                Records.rollup("acme", window, 100, T0.plusSeconds(1)).build());
        tasks.get(0).put(List.of(newer));
        tasks.get(0).put(List.of(older, oldest));
        assertThat(query("SELECT cost_nanos FROM rollups")).isEqualTo(900);
        SinkRecord newest = registry.sinkRecord(ROLLUPS, 0, offset++, "k",
                Records.rollup("acme", window, 1500, T0.plusSeconds(50)).build());
        tasks.get(0).put(List.of(oldest, newest));
        assertThat(query("SELECT cost_nanos FROM rollups")).isEqualTo(1500);
        assertThat(query("SELECT count(*) FROM rollups")).isEqualTo(1);
    }

    @Test
    void shouldAskConnectToRetryAfterBackoffWhenTheConnectionDrops() throws Exception {
        RecordingContext context = startTask();
        tasks.get(0).put(usageBatch(3, 10));
        try (Connection admin = POSTGRES.connection(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'costmeter-ledger-sink'");
        }
        List<SinkRecord> next = List.of(usage("after-drop", 77));
        assertThatThrownBy(() -> tasks.get(0).put(next)).isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).containsExactly(1234L);
        tasks.get(0).put(next); // what Connect does after the timeout
        assertThat(query("SELECT count(*) FROM ledger")).isEqualTo(4);
        assertThat(context.reported).isEmpty();
    }

    @Test
    void shouldDoubleTheBackoffWithEachRetryInARowThenFailTheTask() throws Exception {
        RecordingContext context = startTask();
        tasks.get(0).put(usageBatch(3, 10));
        List<SinkRecord> next = List.of(usage("while-locked", 77));
        // The ledger table stays locked by another session and the sink's sessions give up waiting
        // after 200 ms (55P03, transient), so every redelivery fails again, as during an outage.
        try (Connection admin = POSTGRES.connection(); Statement s = admin.createStatement()) {
            s.execute("ALTER ROLE " + POSTGRES.user() + " SET lock_timeout = '200ms'");
            try {
                admin.setAutoCommit(false);
                s.execute("LOCK TABLE " + schema + ".ledger IN ACCESS EXCLUSIVE MODE");
                dropSinkConnections(); // its next session starts with the role's lock_timeout
                for (int retry = 0; retry < 2; retry++) {
                    assertThatThrownBy(() -> tasks.get(0).put(next)).isInstanceOf(RetriableException.class);
                    waitOutTheBackoff(context);
                }
                assertThat(context.timeouts).containsExactly(1234L, 2468L);
                assertThatThrownBy(() -> tasks.get(0).put(next)).isInstanceOf(ConnectException.class)
                        .isNotInstanceOf(RetriableException.class).hasMessageContaining("still failing after 2 retries over 3 s");
            } finally {
                admin.rollback();
                admin.setAutoCommit(true);
                s.execute("ALTER ROLE " + POSTGRES.user() + " RESET lock_timeout");
            }
        }
    }

    @Test
    void shouldStartWhileTheDatabaseIsUnreachableAndRetryItsBatchesWithBackoff() throws Exception {
        // A database restarting when Connect starts the task must not fail it for good.
        Started started = startTaskOnAnUnreachableDatabase();
        LedgerSinkTask task = started.task();
        RecordingContext context = started.context();

        List<SinkRecord> batch = List.of(usage("while-unreachable", 5));
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        waitOutTheBackoff(context);
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
        waitOutTheBackoff(context);
        assertThat(context.timeouts).containsExactly(1234L, 2468L);
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class).hasMessageContaining("still failing after 2 retries");
    }

    @Test
    void shouldKeepRetryingUntilTheBackoffsHaveElapsedWhenConnectRedeliversSooner() throws Exception {
        Started started = startTaskOnAnUnreachableDatabase();
        LedgerSinkTask task = started.task();
        RecordingContext context = started.context();
        List<SinkRecord> batch = List.of(usage("while-unreachable", 5));

        // Connect redelivers at its next offset commit when that comes before the requested wait: the
        // attempts run out long before the waits they asked for have passed, and the task holds on.
        for (int attempt = 0; attempt < 5; attempt++) {
            assertThatThrownBy(() -> task.put(batch)).isInstanceOf(RetriableException.class);
            clockNanos.addAndGet(java.time.Duration.ofMillis(500).toNanos());
        }
        assertThat(context.timeouts).containsExactly(1234L, 2468L, 4936L, 9872L, 19744L);
        clockNanos.addAndGet(java.time.Duration.ofMillis(1_300).toNanos()); // 3,800 ms failing: past 1,234 + 2,468
        assertThatThrownBy(() -> task.put(batch)).isInstanceOf(ConnectException.class)
                .isNotInstanceOf(RetriableException.class).hasMessageContaining("still failing after 5 retries over 3 s");
    }

    @Test
    void shouldStartTheBackoffOverAfterABatchIsWritten() throws Exception {
        RecordingContext context = startTask();
        tasks.get(0).put(usageBatch(3, 10));
        List<SinkRecord> next = List.of(usage("after-drop", 77));
        dropSinkConnections();
        assertThatThrownBy(() -> tasks.get(0).put(next)).isInstanceOf(RetriableException.class);
        tasks.get(0).put(next);
        dropSinkConnections();
        assertThatThrownBy(() -> tasks.get(0).put(List.of(usage("after-second-drop", 78))))
                .isInstanceOf(RetriableException.class);
        assertThat(context.timeouts).containsExactly(1234L, 1234L);
    }

    private static void dropSinkConnections() throws Exception {
        try (Connection admin = POSTGRES.connection(); Statement s = admin.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'costmeter-ledger-sink'");
        }
    }

    @Test
    void shouldServeTheReaderViewsFromWhatItWrote() throws Exception {
        startTask();
        List<SinkRecord> batch = new ArrayList<>();
        // Nov 1: 3 calls; Nov 2: none; Nov 3: 1 call (a retry), so three days elapsed of thirty.
        batch.add(usage(Records.pricedUsage("a", "t1", Instant.parse("2026-11-01T10:00:00Z"), 1_000_000_000L).build()));
        batch.add(usage(Records.pricedUsage("b", "t1", Instant.parse("2026-11-01T11:00:00Z"), 500_000_000L).build()));
        batch.add(usage(Records.pricedUsage("c", "t2", Instant.parse("2026-11-01T12:00:00Z"), 1_500_000_001L)
                .setCacheReadTokens(100).setCacheReadCostNanos(1).setInputCostNanos(499_999_999L).build()));
        batch.add(usage(Records.pricedUsage("d", "t3", Instant.parse("2026-11-03T08:00:00Z"), 2_000_000_000L)
                .setAttempt(2).build()));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "t1", Records.outcome("t1", Outcome.SUCCESS, Instant.parse("2026-11-03T09:00:00Z"))));
        batch.add(registry.sinkRecord(OUTCOMES, 0, offset++, "t2", Records.outcome("t2", Outcome.FAILURE, Instant.parse("2026-11-03T09:00:00Z"))));
        tasks.get(0).put(batch);

        assertThat(query("SELECT cost_nanos FROM daily_spend WHERE day = '2026-11-01'")).isEqualTo(3_000_000_001L);
        assertThat(query("SELECT count(*) FROM daily_spend WHERE day = '2026-11-01' AND cost_usd = 3.000000001")).isEqualTo(1);
        // t1 (1.5 USD) succeeded, t2 (1.500000001 USD) failed: 3.000000001 USD per successful task.
        assertThat(query("SELECT cost_per_success_nanos FROM cost_per_successful_task WHERE task_class = 'support_reply'"))
                .isEqualTo(3_000_000_001L);
        assertThat(query("SELECT waste_nanos FROM cost_per_successful_task")).isEqualTo(1_500_000_001L);
        assertThat(query("SELECT (task_id = 't2' AND rank = 1)::int FROM top_tasks_daily WHERE day = '2026-11-01' ORDER BY rank LIMIT 1")).isEqualTo(1);
        assertThat(query("SELECT cache_read_cost_nanos FROM cache_tokens_daily WHERE day = '2026-11-01'")).isEqualTo(1);
        assertThat(query("SELECT retry_cost_nanos FROM retries_daily WHERE day = '2026-11-03'")).isEqualTo(2_000_000_000L);
        // Spent 5.000000001 USD in 3 days (days: 3.000000001, 0, 2 of retries); 27 days remain (V5's envelope).
        String through3 = " FROM monthly_projection WHERE dimension = 'all' AND through_day = '2026-11-03'";
        assertThat(query("SELECT spent_nanos" + through3)).isEqualTo(5_000_000_001L);
        // best: the mean day without its waste, 27 x 3,000,000,001 / 3
        assertThat(query("SELECT best_nanos" + through3)).isEqualTo(5_000_000_001L + 27_000_000_009L);
        assertThat(query("SELECT base_nanos" + through3)).isEqualTo(5_000_000_001L + 1_666_666_667L * 27);
        assertThat(query("SELECT worst_nanos" + through3)).isEqualTo(5_000_000_001L + 3_000_000_001L * 27);
    }
}
