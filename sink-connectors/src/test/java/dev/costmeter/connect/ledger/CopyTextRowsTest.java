package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class CopyTextRowsTest {

    private static String text(CopyTextRows rows) {
        return new String(Arrays.copyOf(rows.bytes(), rows.length()), StandardCharsets.UTF_8);
    }

    @Test
    void shouldEscapeBackslashTabNewlineAndCarriageReturnAndPassEverythingElse() throws SQLException {
        CopyTextRows rows = new CopyTextRows(2);
        rows.setString(1, "a\tb\nc\rd\\e 'q' \"dq\"");
        rows.setString(2, "é\t東京\\🚀\n");
        rows.endRow();
        assertThat(text(rows)).isEqualTo("a\\tb\\nc\\rd\\\\e 'q' \"dq\"\té\\t東京\\\\🚀\\n\n");
    }

    @Test
    void shouldWriteNullAsBackslashNAndTheTextBackslashNEscaped() throws SQLException {
        CopyTextRows rows = new CopyTextRows(3);
        rows.setString(1, null);
        rows.setString(2, "\\N");
        rows.setNull(3, Types.BIGINT);
        rows.endRow();
        assertThat(text(rows)).isEqualTo("\\N\t\\\\N\t\\N\n");
    }

    @Test
    void shouldWriteNumbersBooleansTimestampsAndDatesAsPostgresReadsThem() throws SQLException {
        CopyTextRows rows = new CopyTextRows(7);
        rows.setLong(1, Long.MAX_VALUE);
        rows.setLong(2, Long.MIN_VALUE);
        rows.setInt(3, -42);
        rows.setBoolean(4, true);
        rows.setObject(5, OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6_789_000, ZoneOffset.ofHours(2)));
        rows.setObject(6, LocalDate.of(987, 6, 5));
        rows.setLong(7, 0);
        rows.endRow();
        assertThat(text(rows)).isEqualTo("9223372036854775807\t-9223372036854775808\t-42\tt\t"
                + "2026-01-02 01:04:05.006789+00\t0987-06-05\t0\n");
    }

    @Test
    void shouldRefuseAValueOutOfColumnOrderOrARowWithMissingColumns() throws SQLException {
        CopyTextRows rows = new CopyTextRows(2);
        assertThatThrownBy(() -> rows.setLong(2, 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Column 2 bound where column 1 was due");
        rows.setLong(1, 1);
        assertThatThrownBy(rows::endRow).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after 1 of 2 columns");
    }

    @Test
    void shouldRefuseAJavaTypeItHasNoEncodingFor() {
        CopyTextRows rows = new CopyTextRows(1);
        assertThatThrownBy(() -> rows.setObject(1, new java.math.BigDecimal("1.5"))).isInstanceOf(SQLException.class)
                .hasMessageContaining("No COPY text encoding for a java.math.BigDecimal");
    }

    @Test
    void shouldGrowPastItsFirstBufferAndStartOverWhenCleared() throws SQLException {
        CopyTextRows rows = new CopyTextRows(1);
        String big = "x".repeat(100_000) + "\t";
        rows.setString(1, big);
        rows.endRow();
        assertThat(rows.length()).isEqualTo(100_003);
        assertThat(rows.rows()).isEqualTo(1);
        rows.clear();
        rows.setString(1, "y");
        rows.endRow();
        assertThat(text(rows)).isEqualTo("y\n");
    }
}
