package dev.costmeter.connect.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;

/** How the sink sends a batch's rows to PostgreSQL ({@code write.method}); both end in the same rows. */
public enum WriteMethod {
    /** One {@code COPY} into a staging table, then one merge, per table and batch ({@link UpsertStatement#copy}). */
    COPY {
        @Override
        <T> void write(UpsertStatement<T> table, Connection connection, List<T> rows, int maxRows) throws SQLException {
            table.copy(connection, rows);
        }
    },
    /** Multi-row {@code INSERT ... ON CONFLICT} of {@code batch.max.rows} rows each ({@link UpsertStatement#insert}). */
    INSERT {
        @Override
        <T> void write(UpsertStatement<T> table, Connection connection, List<T> rows, int maxRows) throws SQLException {
            table.insert(connection, rows, maxRows);
        }
    };

    abstract <T> void write(UpsertStatement<T> table, Connection connection, List<T> rows, int maxRows) throws SQLException;

    /** The config value: {@code copy} or {@code insert}. */
    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
