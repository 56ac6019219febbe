package dev.costmeter.connect.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.StringJoiner;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * How one table is written, in either of two ways that end in the same rows:
 *
 * <ul>
 *   <li>{@link #copy}: the rows go into a session-local staging table with one {@code COPY ... FROM STDIN}
 *       (text format, {@link CopyTextRows}), then into the table with one
 *       {@code INSERT INTO t (...) SELECT ... FROM t_staging ON CONFLICT ...}. The staging table is a
 *       {@code TEMP} table created once per connection ({@link #createStaging}) with exactly the written
 *       columns and their types, {@code ON COMMIT DELETE ROWS}: it is empty at the start of every
 *       transaction, and what a rolled-back transaction staged is gone with it;</li>
 *   <li>{@link #insert}: multi-row {@code INSERT ... VALUES (...), (...) ON CONFLICT ...} of at most
 *       {@code maxRows} rows each, one round trip per chunk (the way the sink wrote before COPY).</li>
 * </ul>
 *
 * Both run in the caller's transaction and apply the same conflict clause, so idempotence is the same.
 *
 * @param <T> the row type
 */
final class UpsertStatement<T> {

    /** Binds one row's values, in column order, starting at {@code first}. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(RowValues values, int first, T row) throws SQLException;
    }

    /** Encoded rows are handed to PostgreSQL in pieces of about this size, so it parses while the next are encoded. */
    private static final int COPY_CHUNK_BYTES = 256 * 1024;

    private final String table;
    private final List<String> columns;
    private final String conflictClause;
    private final Binder<T> binder;
    private final String rowPlaceholders;
    private final String columnNames;

    /**
     * @param columns the inserted columns; a column whose value needs a cast is written
     *     {@code name::type} and its placeholder gets the cast (COPY needs none: the staging column has the type)
     */
    UpsertStatement(String table, List<String> columns, String conflictClause, Binder<T> binder) {
        this.table = table;
        this.columns = columns;
        this.conflictClause = conflictClause;
        this.binder = binder;
        StringJoiner placeholders = new StringJoiner(", ", "(", ")");
        StringJoiner names = new StringJoiner(", ");
        for (String column : columns) {
            int cast = column.indexOf("::");
            placeholders.add(cast < 0 ? "?" : "?" + column.substring(cast));
            names.add(cast < 0 ? column : column.substring(0, cast));
        }
        this.rowPlaceholders = placeholders.toString();
        this.columnNames = names.toString();
    }

    /** Writes {@code rows} on {@code connection} (in the caller's transaction); returns rows affected. */
    int insert(Connection connection, List<T> rows, int maxRows) throws SQLException {
        int affected = 0;
        for (int from = 0; from < rows.size(); from += maxRows) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + maxRows));
            try (PreparedStatement statement = connection.prepareStatement(sql(chunk.size()))) {
                StatementValues values = new StatementValues(statement);
                int parameter = 1;
                for (T row : chunk) {
                    binder.bind(values, parameter, row);
                    parameter += columns.size();
                }
                affected += statement.executeUpdate();
            }
        }
        return affected;
    }

    /**
     * Creates this table's staging table on {@code connection} if the session has none yet (the
     * caller commits). Must run after the migrations: it takes the table's column types as they are.
     */
    void createStaging(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(createStagingSql());
        }
    }

    /**
     * COPYs {@code rows} into the staging table and merges them into the table (in the caller's
     * transaction, after {@link #createStaging}); returns the rows the merge inserted or updated.
     */
    int copy(Connection connection, List<T> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        stream(connection, copySql(), rows);
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(mergeSql());
        }
    }

    /**
     * COPYs {@code rows} straight into the table, without staging and without the conflict clause:
     * for rows known to be new. A row whose key the table already has fails the whole COPY (unique
     * violation); the caller then rolls back to a savepoint and merges ({@link #copy}) instead.
     */
    void copyInto(Connection connection, List<T> rows) throws SQLException {
        if (!rows.isEmpty()) {
            stream(connection, "COPY " + table + " (" + columnNames + ") FROM STDIN (FORMAT text)", rows);
        }
    }

    private void stream(Connection connection, String copySql, List<T> rows) throws SQLException {
        CopyIn copy = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copySql);
        try {
            CopyTextRows text = new CopyTextRows(columns.size());
            for (T row : rows) {
                binder.bind(text, 1, row);
                text.endRow();
                if (text.length() >= COPY_CHUNK_BYTES) {
                    copy.writeToCopy(text.bytes(), 0, text.length());
                    text.clear();
                }
            }
            copy.writeToCopy(text.bytes(), 0, text.length());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                // A row that could not be encoded: end the COPY so the session can roll back and go on.
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // The connection is broken; the caller's error handling discards it.
                }
            }
        }
    }

    String sql(int rows) {
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columnNames).append(") VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(rowPlaceholders);
        }
        return sql.append(' ').append(conflictClause).toString();
    }

    String stagingTable() {
        return table + "_staging";
    }

    String createStagingSql() {
        return "CREATE TEMP TABLE IF NOT EXISTS " + stagingTable() + " ON COMMIT DELETE ROWS AS SELECT " + columnNames
                + " FROM " + table + " WITH NO DATA";
    }

    String copySql() {
        return "COPY " + stagingTable() + " (" + columnNames + ") FROM STDIN (FORMAT text)";
    }

    String mergeSql() {
        return "INSERT INTO " + table + " (" + columnNames + ") SELECT " + columnNames + " FROM " + stagingTable() + " "
                + conflictClause;
    }

    /** {@link RowValues} onto a prepared statement's parameters. */
    private record StatementValues(PreparedStatement statement) implements RowValues {

        @Override
        public void setString(int position, String value) throws SQLException {
            statement.setString(position, value);
        }

        @Override
        public void setLong(int position, long value) throws SQLException {
            statement.setLong(position, value);
        }

        @Override
        public void setInt(int position, int value) throws SQLException {
            statement.setInt(position, value);
        }

        @Override
        public void setBoolean(int position, boolean value) throws SQLException {
            statement.setBoolean(position, value);
        }

        @Override
        public void setObject(int position, Object value) throws SQLException {
            statement.setObject(position, value);
        }

        @Override
        public void setNull(int position, int sqlType) throws SQLException {
            statement.setNull(position, sqlType);
        }
    }
}
