package dev.costmeter.connect.ledger;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes batches to the ledger database, each in one transaction. Keeps one connection and drops
 * it after a transient failure, so the next write reconnects instead of reusing a broken session.
 */
final class LedgerWriter implements AutoCloseable {

    private final PostgresConnections connections;
    private final int maxRows;
    private Connection connection;

    LedgerWriter(PostgresConnections connections, int maxRows) {
        this.connections = connections;
        this.maxRows = maxRows;
    }

    /** Writes the batch atomically: all its rows or, on an exception, none. */
    void write(LedgerBatch batch) throws SQLException {
        Connection c = connection();
        try {
            LedgerTables.LEDGER.write(c, batch.usage, maxRows);
            LedgerTables.ROLLUPS.write(c, LedgerTables.newestPerKey(batch.rollups), maxRows);
            LedgerTables.OUTCOMES.write(c, LedgerTables.latestPerTask(batch.outcomes), maxRows);
            c.commit();
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                discardConnection();
            } else {
                // A data error leaves a healthy session: roll back and keep it for the next write.
                rollbackOrDiscard();
            }
            throw e;
        } catch (RuntimeException e) {
            discardConnection();
            throw e;
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
        }
        return connection;
    }

    private void discardConnection() {
        Connection broken = connection;
        connection = null;
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
