package dev.costmeter.connect.ledger;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Rows encoded in PostgreSQL's {@code COPY ... (FORMAT text)} format, UTF-8: one line per row,
 * columns separated by a tab, {@code \N} for NULL, and in text values a backslash, tab, newline or
 * carriage return written as {@code \\}, {@code \t}, {@code \n}, {@code \r}, so a value cannot end
 * its column or its row early. Everything else (quotes, any Unicode character) passes as it is. A
 * NUL character is passed through too: PostgreSQL refuses it in any text value (SQLSTATE 22021, as
 * it does through {@code INSERT}), which makes it a data error of that record alone.
 *
 * <p>Hand-written because pgjdbc has a COPY API ({@code CopyManager}) but no encoder, and the
 * libraries that have one (PgBulkInsert) write the binary format through their own column mapping,
 * which would be a second list of the ledger's columns. Text needs no type OIDs: PostgreSQL parses
 * each value with the staging column's type (jsonb, timestamptz, date), exactly as it parses a
 * literal. Measured with {@code benchmarks/run ledger-sink --writer insert:500,copy:5000} (both paths in the
 * same rounds, 2-core machine): PostgreSQL's CPU per ledger row fell from 25.5-26.6 µs with multi-row
 * INSERTs to 15.4-16.3 µs with COPY, the worker's from 10.2-10.6 µs to 6.7-7.2 µs, and rows/s rose about
 * 1.5 to 2.3 times (figures in {@code sink-connectors/README.md}).
 *
 * <p>Values must come in column order ({@link RowValues} positions 1, 2, 3, ...): COPY is positional.
 */
final class CopyTextRows implements RowValues {

    private byte[] buffer = new byte[64 * 1024];
    private int length;
    private final int columns;
    /** The position the next value must have; 1 at the start of a row. */
    private int next = 1;
    private int rows;

    CopyTextRows(int columns) {
        this.columns = columns;
    }

    /** Ends the current row; every column must have had its value. */
    void endRow() {
        if (next != columns + 1) {
            throw new IllegalStateException("Row ended after " + (next - 1) + " of " + columns + " columns");
        }
        ensure(1);
        buffer[length++] = '\n';
        next = 1;
        rows++;
    }

    int rows() {
        return rows;
    }

    byte[] bytes() {
        return buffer;
    }

    int length() {
        return length;
    }

    /** Empties the buffer for the next rows, keeping its capacity. */
    void clear() {
        length = 0;
        next = 1;
        rows = 0;
    }

    @Override
    public void setString(int position, String value) throws SQLException {
        if (value == null) {
            setNull(position, java.sql.Types.VARCHAR);
            return;
        }
        column(position);
        ensure(value.length() * 2);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x80) {
                // Not ASCII: this value goes through the JDK's UTF-8 encoder from here on (surrogate pairs
                // included); the escapes below are all ASCII, so they are handled here for the rest too.
                appendNonAscii(value, i);
                return;
            }
            appendAscii(c);
        }
    }

    private void appendAscii(char c) {
        ensure(2);
        switch (c) {
            case '\\' -> {
                buffer[length++] = '\\';
                buffer[length++] = '\\';
            }
            case '\t' -> {
                buffer[length++] = '\\';
                buffer[length++] = 't';
            }
            case '\n' -> {
                buffer[length++] = '\\';
                buffer[length++] = 'n';
            }
            case '\r' -> {
                buffer[length++] = '\\';
                buffer[length++] = 'r';
            }
            default -> buffer[length++] = (byte) c;
        }
    }

    private void appendNonAscii(String value, int from) {
        int start = from;
        for (int i = from; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
                appendUtf8(value.substring(start, i));
                appendAscii(c);
                start = i + 1;
            }
        }
        appendUtf8(value.substring(start));
    }

    private void appendUtf8(String part) {
        byte[] utf8 = part.getBytes(StandardCharsets.UTF_8);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buffer, length, utf8.length);
        length += utf8.length;
    }

    @Override
    public void setLong(int position, long value) {
        column(position);
        appendDigits(value);
    }

    @Override
    public void setInt(int position, int value) {
        column(position);
        appendDigits(value);
    }

    @Override
    public void setBoolean(int position, boolean value) {
        column(position);
        ensure(1);
        buffer[length++] = (byte) (value ? 't' : 'f');
    }

    @Override
    public void setObject(int position, Object value) throws SQLException {
        if (value == null) {
            setNull(position, java.sql.Types.OTHER);
        } else if (value instanceof OffsetDateTime time) {
            column(position);
            appendTimestamp(time);
        } else if (value instanceof LocalDate day) {
            column(position);
            appendDate(day);
        } else {
            throw new SQLException("No COPY text encoding for a " + value.getClass().getName() + " at column " + position,
                    "22000");
        }
    }

    @Override
    public void setNull(int position, int sqlType) {
        column(position);
        ensure(2);
        buffer[length++] = '\\';
        buffer[length++] = 'N';
    }

    /** Checks the position and writes the tab that separates it from the previous column. */
    private void column(int position) {
        if (position != next) {
            throw new IllegalStateException("Column " + position + " bound where column " + next + " was due: COPY is positional");
        }
        if (position > columns) {
            throw new IllegalStateException("Column " + position + " bound in a row of " + columns + " columns");
        }
        if (position > 1) {
            ensure(1);
            buffer[length++] = '\t';
        }
        next++;
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss.ffffff+00}, in UTC: what PostgreSQL prints itself, to microseconds
     * (its precision; finer digits are dropped, as the JDBC driver does).
     */
    private void appendTimestamp(OffsetDateTime time) {
        OffsetDateTime utc = time.withOffsetSameInstant(ZoneOffset.UTC);
        appendDate(utc.toLocalDate());
        ensure(1);
        buffer[length++] = ' ';
        appendPadded(utc.getHour(), 2);
        buffer[length++] = ':';
        appendPadded(utc.getMinute(), 2);
        buffer[length++] = ':';
        appendPadded(utc.getSecond(), 2);
        buffer[length++] = '.';
        appendPadded(utc.getNano() / 1000, 6);
        ensure(3);
        buffer[length++] = '+';
        buffer[length++] = '0';
        buffer[length++] = '0';
    }

    private void appendDate(LocalDate day) {
        int year = day.getYear();
        if (year < 1 || year > 9999) {
            // Outside what the four-digit form can say (and far outside any real call): PostgreSQL's own
            // parser gets the ISO form and decides.
            appendUtf8(day.toString());
            return;
        }
        appendPadded(year, 4);
        ensure(1);
        buffer[length++] = '-';
        appendPadded(day.getMonthValue(), 2);
        ensure(1);
        buffer[length++] = '-';
        appendPadded(day.getDayOfMonth(), 2);
    }

    private void appendPadded(int value, int digits) {
        ensure(digits + 1);
        for (int i = digits - 1; i >= 0; i--) {
            buffer[length + i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += digits;
    }

    private void appendDigits(long value) {
        if (value == Long.MIN_VALUE) {
            appendUtf8(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            buffer[length++] = '-';
            value = -value;
        }
        int start = length;
        do {
            buffer[length++] = (byte) ('0' + value % 10);
            value /= 10;
        } while (value != 0);
        for (int i = start, j = length - 1; i < j; i++, j--) {
            byte swap = buffer[i];
            buffer[i] = buffer[j];
            buffer[j] = swap;
        }
    }

    private void ensure(int more) {
        if (length + more > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
        }
    }
}
