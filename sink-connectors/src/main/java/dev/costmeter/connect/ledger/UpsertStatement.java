package dev.costmeter.connect.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.StringJoiner;

/**
 * A multi-row {@code INSERT ... VALUES (...), (...) ON CONFLICT ...} for one table: rows are sent
 * in chunks of at most {@code maxRows}, each chunk one round trip.
 *
 * @param <T> the row type
 */
final class UpsertStatement<T> {

    /** Binds one row's values, in column order, starting at {@code first}. */
    @FunctionalInterface
    interface Binder<T> {
        void bind(PreparedStatement statement, int first, T row) throws SQLException;
    }

    private final String table;
    private final List<String> columns;
    private final String conflictClause;
    private final Binder<T> binder;
    private final String rowPlaceholders;

    /**
     * @param columns the inserted columns; a column whose value needs a cast is written
     *     {@code name::type} and its placeholder gets the cast
     */
    UpsertStatement(String table, List<String> columns, String conflictClause, Binder<T> binder) {
        this.table = table;
        this.columns = columns;
        this.conflictClause = conflictClause;
        this.binder = binder;
        StringJoiner placeholders = new StringJoiner(", ", "(", ")");
        for (String column : columns) {
            int cast = column.indexOf("::");
            placeholders.add(cast < 0 ? "?" : "?" + column.substring(cast));
        }
        this.rowPlaceholders = placeholders.toString();
    }

    /** Writes {@code rows} on {@code connection} (in the caller's transaction); returns rows affected. */
    int write(Connection connection, List<T> rows, int maxRows) throws SQLException {
        int affected = 0;
        for (int from = 0; from < rows.size(); from += maxRows) {
            List<T> chunk = rows.subList(from, Math.min(rows.size(), from + maxRows));
            try (PreparedStatement statement = connection.prepareStatement(sql(chunk.size()))) {
                int parameter = 1;
                for (T row : chunk) {
                    binder.bind(statement, parameter, row);
                    parameter += columns.size();
                }
                affected += statement.executeUpdate();
            }
        }
        return affected;
    }

    String sql(int rows) {
        StringJoiner names = new StringJoiner(", ", "(", ")");
        columns.forEach(column -> names.add(column.contains("::") ? column.substring(0, column.indexOf("::")) : column));
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(' ').append(names).append(" VALUES ");
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ", ").append(rowPlaceholders);
        }
        return sql.append(' ').append(conflictClause).toString();
    }
}
