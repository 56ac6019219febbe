package dev.costmeter.bench.sink;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's view of one round's ledger schema in PostgreSQL: how far the sink is (cheaply, from
 * the statistics PostgreSQL keeps anyway), when its rows were written, and whether the table holds
 * exactly what was published.
 */
final class LedgerDatabase implements AutoCloseable {

    private final Connection connection;
    private final String schema;

    LedgerDatabase(String jdbcUrl, String user, String password, String schema) throws SQLException {
        this.connection = DriverManager.getConnection(jdbcUrl, user, password);
        this.schema = schema;
    }

    /** The database's clock now, in epoch microseconds (written_at is on the same clock). */
    long nowMicros() throws SQLException {
        return single("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint");
    }

    /**
     * Rows inserted into the ledger so far by the statistics collector (lags by up to about a second,
     * counts inserts of transactions that later abort, and stops moving while the writer is idle): a
     * progress signal that costs nothing, where a {@code count(*)} would scan the table. Completion is
     * then confirmed by {@link #rows()}.
     */
    long insertedSoFar() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(
                "SELECT coalesce(sum(n_tup_ins), 0) FROM pg_stat_user_tables WHERE schemaname = ? AND relname = 'ledger'")) {
            s.setString(1, schema);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    /** Committed rows in the ledger, exactly (0 before the sink created the table). */
    long rows() throws SQLException {
        if (!tableExists()) {
            return 0;
        }
        return single("SELECT count(*) FROM " + schema + ".ledger");
    }

    /**
     * When the transaction that wrote the last rows began (written_at is {@code now()}, the start of the
     * writing transaction): the end of a round, short of that one transaction's own duration.
     */
    long lastWriteMicros() throws SQLException {
        return single("SELECT (extract(epoch FROM max(written_at)) * 1000000)::bigint FROM " + schema + ".ledger");
    }

    /**
     * Rows per second between the transactions that wrote the 10% and the 90% rows (written_at is
     * each transaction's start): the sink's steady rate, without the connector's start and the last
     * batches.
     */
    double steadyRate(long rows) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT "
                + "extract(epoch FROM percentile_disc(0.1) WITHIN GROUP (ORDER BY written_at)) * 1000000, "
                + "extract(epoch FROM percentile_disc(0.9) WITHIN GROUP (ORDER BY written_at)) * 1000000 FROM "
                + schema + ".ledger"); ResultSet r = s.executeQuery()) {
            r.next();
            double micros = r.getDouble(2) - r.getDouble(1);
            return micros <= 0 ? Double.NaN : 0.8 * rows / (micros / 1e6);
        }
    }

    /** What the table holds against what was published; empty when they agree. */
    List<String> mismatches(LedgerWorkload.Expected expected) throws SQLException {
        List<String> problems = new ArrayList<>();
        long rows = single("SELECT count(*) FROM " + schema + ".ledger");
        long distinct = single("SELECT count(DISTINCT event_id) FROM " + schema + ".ledger");
        long cost = single("SELECT coalesce(sum(cost_nanos), 0)::bigint FROM " + schema + ".ledger");
        if (rows != expected.rows()) {
            problems.add("ledger rows " + rows + " != published calls " + expected.rows());
        }
        if (distinct != rows) {
            problems.add("distinct event ids " + distinct + " != rows " + rows);
        }
        if (cost != expected.costNanos()) {
            problems.add("sum(cost_nanos) " + cost + " != published " + expected.costNanos());
        }
        long hostile;
        try (PreparedStatement s = connection.prepareStatement("SELECT count(*) FROM " + schema + ".ledger "
                + "WHERE labels ->> 'team' = ? AND end_user_id LIKE E'user\\t%' AND tool_name = E'search\\\\web\\t'")) {
            s.setString(1, LedgerWorkload.HOSTILE);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                hostile = r.getLong(1);
            }
        }
        if (hostile != expected.hostileRows()) {
            problems.add("rows with escaped text intact " + hostile + " != published " + expected.hostileRows());
        }
        Map<String, Long> costByTenant = new TreeMap<>();
        Map<String, Long> rowsByTenant = new TreeMap<>();
        try (PreparedStatement s = connection.prepareStatement("SELECT tenant_id, count(*), sum(cost_nanos)::bigint FROM "
                + schema + ".ledger GROUP BY tenant_id"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                rowsByTenant.put(r.getString(1), r.getLong(2));
                costByTenant.put(r.getString(1), r.getLong(3));
            }
        }
        if (!costByTenant.equals(expected.costNanosByTenant())) {
            problems.add("cost per tenant " + costByTenant + " != published " + expected.costNanosByTenant());
        }
        if (!rowsByTenant.equals(expected.rowsByTenant())) {
            problems.add("rows per tenant " + rowsByTenant + " != published " + expected.rowsByTenant());
        }
        return problems;
    }

    private boolean tableExists() throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            s.setString(1, schema + ".ledger");
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private long single(String sql) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement(sql); ResultSet r = s.executeQuery()) {
            r.next();
            return r.getLong(1);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
