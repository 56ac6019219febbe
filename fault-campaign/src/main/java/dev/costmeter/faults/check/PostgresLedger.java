package dev.costmeter.faults.check;

import dev.costmeter.faults.oracle.Keys;
import dev.costmeter.faults.oracle.LedgerRow;
import dev.costmeter.faults.oracle.SpendTotals;
import dev.costmeter.faults.oracle.Values;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/** The PostgreSQL cost ledger the ledger sink writes (tables and views of its migrations), as the checker reads it. */
public final class PostgresLedger {

    private static final Pattern SCHEMA_NAME = Pattern.compile("[a-z_][a-z0-9_]*");

    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final String schema;

    public PostgresLedger(String jdbcUrl, String user, String password, String schema) {
        if (!SCHEMA_NAME.matcher(schema).matches()) {
            throw new IllegalArgumentException("not a plain schema name: " + schema);
        }
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.schema = schema;
    }

    /** Streams every ledger row to {@code sink}. */
    public void ledger(Consumer<LedgerRow> sink) throws SQLException {
        query("SELECT event_id, event_time, tenant_id, task_id, task_class, route, prompt_version, end_user_id, provider, model,"
                + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, batch, attempt, step,"
                + " tool_name, status, response_cache_hit, cost_nanos, input_cost_nanos, output_cost_nanos,"
                + " cache_read_cost_nanos, cache_write_cost_nanos, savings_nanos, priced, price_version, long_context,"
                + " provider_cost_nanos FROM " + schema + ".ledger", rs -> sink.accept(new LedgerRow(rs.getString(1),
                        rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                        rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getLong(11), rs.getLong(12),
                        rs.getLong(13), rs.getLong(14), rs.getLong(15), rs.getBoolean(16), rs.getInt(17),
                        (Integer) rs.getObject(18), rs.getString(19), rs.getString(20), rs.getBoolean(21), rs.getLong(22),
                        rs.getLong(23), rs.getLong(24), rs.getLong(25), rs.getLong(26), rs.getLong(27), rs.getBoolean(28),
                        rs.getString(29), rs.getBoolean(30), (Long) rs.getObject(31))));
    }

    /** The DAY rows of the {@code rollups} table (running totals from llm.rollups.v1). */
    public Map<Keys.Rollup, SpendTotals> dayRollups() throws SQLException {
        Map<Keys.Rollup, SpendTotals> rollups = new HashMap<>();
        query("SELECT dimension, scope, window_start, calls, retries, failures, response_cache_hits, unpriced_calls,"
                + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, cost_nanos, input_cost_nanos,"
                + " output_cost_nanos, cache_read_cost_nanos, cache_write_cost_nanos, savings_nanos FROM " + schema
                + ".rollups WHERE granularity = 'DAY'", rs -> rollups.put(
                        new Keys.Rollup(rs.getString(1), rs.getString(2), day(rs, 3)),
                        new SpendTotals(rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                                rs.getLong(9), rs.getLong(10), rs.getLong(11), rs.getLong(12), rs.getLong(13), rs.getLong(14),
                                rs.getLong(15), rs.getLong(16), rs.getLong(17), rs.getLong(18))));
        return rollups;
    }

    public Map<Keys.DailySpend, Values.CallsAndCost> dailySpend() throws SQLException {
        Map<Keys.DailySpend, Values.CallsAndCost> view = new HashMap<>();
        query("SELECT day, tenant_id, route, provider, model, calls, cost_nanos FROM " + schema + ".daily_spend",
                rs -> view.put(new Keys.DailySpend(rs.getObject(1, LocalDate.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5)), new Values.CallsAndCost(rs.getLong(6), rs.getLong(7))));
        return view;
    }

    public Map<String, Values.TaskSpend> taskSpend() throws SQLException {
        Map<String, Values.TaskSpend> view = new HashMap<>();
        query("SELECT task_id, calls, cost_nanos, outcome FROM " + schema + ".task_spend",
                rs -> view.put(rs.getString(1), new Values.TaskSpend(rs.getLong(2), rs.getLong(3), rs.getString(4))));
        return view;
    }

    public Map<Keys.ClassDay, Values.SuccessCost> costPerSuccessfulTask() throws SQLException {
        Map<Keys.ClassDay, Values.SuccessCost> view = new HashMap<>();
        query("SELECT day, task_class, tasks, successful_tasks, cost_nanos, waste_nanos, cost_per_success_nanos FROM " + schema
                + ".cost_per_successful_task", rs -> view.put(new Keys.ClassDay(rs.getObject(1, LocalDate.class), rs.getString(2)),
                        new Values.SuccessCost(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                                (Long) rs.getObject(7))));
        return view;
    }

    /** Rows of the ledger table: for the settle phase, which waits until it stops growing. */
    public long ledgerRows() throws SQLException {
        long[] count = new long[1];
        query("SELECT count(*) FROM " + schema + ".ledger", rs -> count[0] = rs.getLong(1));
        return count[0];
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private void query(String sql, RowReader reader) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
            // A cursor: the ledger may hold a million rows.
            connection.setAutoCommit(false);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setFetchSize(5_000);
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        reader.read(rs);
                    }
                }
            }
            connection.commit();
        }
    }

    private static LocalDate day(ResultSet rs, int column) throws SQLException {
        return LocalDate.ofInstant(rs.getTimestamp(column).toInstant(), ZoneOffset.UTC);
    }
}
