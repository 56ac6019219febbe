package dev.costmeter.connect.ledger;

import dev.costmeter.contracts.LedgerCorrection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Writes batches to the ledger database, each in one transaction. Keeps one connection and drops
 * it after a transient failure, so the next write reconnects instead of reusing a broken session.
 * With {@link WriteMethod#COPY} each new session first gets its staging tables (one committed
 * transaction of {@code CREATE TEMP TABLE}), after the migrations have run on it.
 */
final class LedgerWriter implements AutoCloseable {

    private static final List<UpsertStatement<?>> TABLES = List.of(LedgerTables.LEDGER, LedgerTables.ROLLUPS,
            LedgerTables.OUTCOMES, CorrectionsTable.CORRECTIONS);

    private final PostgresConnections connections;
    private final WriteMethod method;
    private final int maxRows;
    private Connection connection;
    /** Whether {@link #connection} has its staging tables. */
    private boolean staged;

    LedgerWriter(PostgresConnections connections, WriteMethod method, int maxRows) {
        this.connections = connections;
        this.method = method;
        this.maxRows = maxRows;
    }

    /** Writes the batch's ledger rows, rollups and outcomes atomically: all its rows or, on an exception, none. */
    void write(LedgerBatch batch) throws SQLException {
        Connection c = connection();
        inTransaction(c, () -> {
            if (method == WriteMethod.COPY) {
                NewLedgerRows.write(c, batch.usage);
            } else {
                method.write(LedgerTables.LEDGER, c, batch.usage, maxRows);
            }
            method.write(LedgerTables.ROLLUPS, c, LedgerTables.newestPerKey(batch.rollups), maxRows);
            method.write(LedgerTables.OUTCOMES, c, LedgerTables.latestPerTask(batch.outcomes), maxRows);
        });
    }

    /**
     * Writes {@code corrections} and commits, in a transaction of their own after {@link #write}'s
     * (the two are idempotent, so a batch redelivered after a failure between the commits writes
     * nothing twice).
     */
    void writeCorrections(List<Sourced<LedgerCorrection>> corrections) throws SQLException {
        if (corrections.isEmpty()) {
            return;
        }
        Connection c = connection();
        inTransaction(c, () -> method.write(CorrectionsTable.CORRECTIONS, c, corrections, maxRows));
    }

    /** Runs {@code writes} on {@code c}'s staged session and commits; on a failure, rolls back or drops the session. */
    private void inTransaction(Connection c, Writes writes) throws SQLException {
        try {
            stage(c);
            writes.run();
            c.commit();
        } catch (SQLException e) {
            failed(e);
            throw e;
        } catch (RuntimeException e) {
            discardConnection();
            throw e;
        }
    }

    /** The statements of one transaction. */
    @FunctionalInterface
    private interface Writes {
        void run() throws SQLException;
    }

    private void stage(Connection c) throws SQLException {
        if (staged || method != WriteMethod.COPY) {
            return;
        }
        for (UpsertStatement<?> table : TABLES) {
            table.createStaging(c);
        }
        c.commit();
        staged = true;
    }

    private void failed(SQLException e) {
        if (SqlErrors.isTransient(e)) {
            discardConnection();
        } else {
            // A data error leaves a healthy session: roll back and keep it for the next write.
            rollbackOrDiscard();
        }
    }

    private void rollbackOrDiscard() {
        try {
            connection.rollback();
        } catch (SQLException rollbackFailed) {
            discardConnection();
        }
    }

    /** The open connection, opened (auto-commit off) if there is none. */
    Connection connection() throws SQLException {
        if (connection == null) {
            Connection opened = connections.open();
            opened.setAutoCommit(false);
            connection = opened;
            staged = false;
        }
        return connection;
    }

    private void discardConnection() {
        Connection broken = connection;
        connection = null;
        staged = false;
        if (broken != null) {
            try {
                broken.rollback();
            } catch (SQLException ignored) {
                // The session is gone or aborted; closing it is all that is left to do.
            }
            try {
                broken.close();
            } catch (SQLException ignored) {
                // Same: nothing more to release.
            }
        }
    }

    @Override
    public void close() {
        discardConnection();
    }
}
