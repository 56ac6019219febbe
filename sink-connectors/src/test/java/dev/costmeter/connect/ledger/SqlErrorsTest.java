package dev.costmeter.connect.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class SqlErrorsTest {

    @Test
    void shouldTreatConnectionResourceAndConcurrencyStatesAsTransient() {
        for (String state : new String[] {"08006", "08001", "40001", "40P01", "53300", "57P01", "55P03"}) {
            assertThat(SqlErrors.isTransient(new SQLException("x", state))).as(state).isTrue();
        }
    }

    @Test
    void shouldTreatDataErrorsAsPermanent() {
        for (String state : new String[] {"23514", "23505", "22021", "42P01", null}) {
            assertThat(SqlErrors.isTransient(new SQLException("x", state))).as(String.valueOf(state)).isFalse();
        }
    }

    @Test
    void shouldLookThroughTheChainOfNextExceptions() {
        SQLException batch = new SQLException("batch entry failed", "23514");
        batch.setNextException(new SQLException("connection reset", "08006"));
        assertThat(SqlErrors.isTransient(batch)).isTrue();
    }
}
