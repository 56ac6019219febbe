package dev.costmeter.connect.ledger;

import java.sql.SQLException;

/**
 * Where a table's binder puts one row's values, by 1-based parameter position in column order: a
 * {@link java.sql.PreparedStatement} for a multi-row {@code INSERT} ({@link UpsertStatement}) or one
 * line of {@code COPY} text ({@link CopyTextRows}). The methods are {@code PreparedStatement}'s own,
 * so a binder reads as JDBC code and a column added to {@link LedgerTables} is bound once for both
 * ways of writing.
 */
interface RowValues {

    void setString(int position, String value) throws SQLException;

    void setLong(int position, long value) throws SQLException;

    void setInt(int position, int value) throws SQLException;

    void setBoolean(int position, boolean value) throws SQLException;

    /** A {@link java.time.OffsetDateTime} (timestamptz) or a {@link java.time.LocalDate} (date), or a null. */
    void setObject(int position, Object value) throws SQLException;

    /** SQL NULL; {@code sqlType} is a {@link java.sql.Types} constant. */
    void setNull(int position, int sqlType) throws SQLException;
}
