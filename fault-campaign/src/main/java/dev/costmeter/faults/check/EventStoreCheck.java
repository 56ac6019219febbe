package dev.costmeter.faults.check;

import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.oracle.LedgerRow;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Compares the rows of one ledger store with the oracle's, one call at a time, in one pass. */
public final class EventStoreCheck {

    private final String store;
    private final Map<String, LedgerRow> expected;
    private final Map<String, Integer> seen = new HashMap<>();
    private final Map<String, String> wrong = new LinkedHashMap<>();
    private final Set<String> wrongMoney = new LinkedHashSet<>();
    private final Map<String, Integer> unexpected = new LinkedHashMap<>();
    private long rows;

    public EventStoreCheck(String store, Expectations expectations) {
        this.store = store;
        this.expected = expectations.ledger();
    }

    /** Takes one row read from the store. */
    public void accept(LedgerRow row) {
        rows++;
        LedgerRow want = expected.get(row.eventId());
        if (want == null) {
            unexpected.merge(row.eventId(), 1, Integer::sum);
            return;
        }
        seen.merge(row.eventId(), 1, Integer::sum);
        if (!want.equals(row)) {
            wrong.putIfAbsent(row.eventId(), String.join(", ", want.differences(row)));
            if (!want.sameMoney(row)) {
                wrongMoney.add(row.eventId());
            }
        }
    }

    public EventStoreResult result() {
        Set<String> missing = new TreeSet<>();
        Map<String, Integer> duplicated = new LinkedHashMap<>();
        for (String eventId : expected.keySet()) {
            int count = seen.getOrDefault(eventId, 0);
            if (count == 0) {
                missing.add(eventId);
            } else if (count > 1) {
                duplicated.put(eventId, count);
            }
        }
        return new EventStoreResult(store, rows, missing, duplicated, wrong, wrongMoney, unexpected);
    }
}
