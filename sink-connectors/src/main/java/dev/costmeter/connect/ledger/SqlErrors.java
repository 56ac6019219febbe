package dev.costmeter.connect.ledger;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a transient database error (worth retrying the same batch later) from one the data causes
 * (worth retrying record by record to find the culprit), by PostgreSQL's SQLSTATE.
 */
public final class SqlErrors {

    // Exact states that clear on their own: serialization failure, deadlock, lock not available,
    // admin/crash shutdown, cannot connect now, query cancelled (statement_timeout), idle timeouts.
    private static final Set<String> TRANSIENT_STATES = Set.of(
            "40001", "40P01", "55P03", "57P01", "57P02", "57P03", "57014", "25P03", "25P04");
    // Whole classes: 08 connection exception, 53 insufficient resources, 58 system error (I/O).
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "58");

    private SqlErrors() {
    }

    /** Whether {@code e}, or any exception chained to it, is transient. */
    public static boolean isTransient(SQLException e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SQLTransientException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransientState(String state) {
        return state != null && state.length() == 5
                && (TRANSIENT_STATES.contains(state) || TRANSIENT_CLASSES.contains(state.substring(0, 2)));
    }

    private static Throwable next(Throwable t) {
        if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
            return sql.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }
}
