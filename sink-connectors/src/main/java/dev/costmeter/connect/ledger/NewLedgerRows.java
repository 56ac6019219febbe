package dev.costmeter.connect.ledger;

import dev.costmeter.contracts.PricedUsage;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a batch's ledger rows with {@code COPY} straight into {@code ledger} when they are new,
 * which they nearly always are: a ledger row is written once, and only a redelivery (a task restart,
 * a rebalance, a replay) or an upstream re-send brings an event id the table has. The staging table
 * and the {@code INSERT ... SELECT ... ON CONFLICT} merge cost PostgreSQL a second parse and copy of
 * every row; measured with PostgreSQL 14 on the 2-core build machine, a batch of 5,000 ledger rows
 * took about as long to COPY into staging as to merge.
 *
 * <ol>
 *   <li>Event ids repeated within the batch keep their first occurrence (what {@code ON CONFLICT DO
 *       NOTHING} keeps too).</li>
 *   <li>The ids the table already has are looked up in one indexed query and left out.</li>
 *   <li>The rest go in with one {@code COPY ledger FROM STDIN} under a savepoint. Should a row still
 *       collide (a concurrent writer of the same id, which only a zombie task during a rebalance
 *       could be) or break a check, the COPY fails whole, the transaction rolls back to the
 *       savepoint, and the rows go through the staging table and the idempotent merge instead, where
 *       a data error surfaces as it always has.</li>
 * </ol>
 *
 * Whatever path the rows take, it is inside the batch's one transaction and ends with the rows the
 * merge alone would have written.
 */
final class NewLedgerRows {

    private NewLedgerRows() {
    }

    static void write(Connection connection, List<Sourced<PricedUsage>> usage) throws SQLException {
        if (usage.isEmpty()) {
            return;
        }
        List<Sourced<PricedUsage>> fresh = withoutKnownIds(connection, firstPerEventId(usage));
        if (fresh.isEmpty()) {
            return;
        }
        Savepoint savepoint = connection.setSavepoint();
        try {
            LedgerTables.LEDGER.copyInto(connection, fresh);
            connection.releaseSavepoint(savepoint);
        } catch (SQLException e) {
            if (SqlErrors.isTransient(e)) {
                throw e;
            }
            connection.rollback(savepoint);
            LedgerTables.LEDGER.copy(connection, fresh);
        }
    }

    static List<Sourced<PricedUsage>> firstPerEventId(List<Sourced<PricedUsage>> usage) {
        Map<String, Sourced<PricedUsage>> first = new LinkedHashMap<>();
        for (Sourced<PricedUsage> u : usage) {
            first.putIfAbsent(u.value().getEventId(), u);
        }
        return first.size() == usage.size() ? usage : new ArrayList<>(first.values());
    }

    private static List<Sourced<PricedUsage>> withoutKnownIds(Connection connection, List<Sourced<PricedUsage>> usage)
            throws SQLException {
        Object[] ids = usage.stream().map(u -> u.value().getEventId()).toArray();
        Set<String> known = new HashSet<>();
        Array array = connection.createArrayOf("text", ids);
        try (PreparedStatement query = connection.prepareStatement("SELECT event_id FROM ledger WHERE event_id = ANY (?)")) {
            query.setArray(1, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    known.add(rows.getString(1));
                }
            }
        } finally {
            array.free();
        }
        if (known.isEmpty()) {
            return usage;
        }
        return usage.stream().filter(u -> !known.contains(u.value().getEventId())).toList();
    }
}
