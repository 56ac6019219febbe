package dev.costmeter.faults.check;

import java.util.List;

/**
 * How one aggregate store (rollups, task totals, the task_class table, a view) compares with the oracle.
 *
 * @param checked    keys compared
 * @param mismatches keys whose value differs, is missing or is not expected
 */
public record AggregateResult(String store, long checked, List<Mismatch> mismatches) {

    /** One key: what was expected and what the store holds (null when absent). */
    public record Mismatch(Object key, Object expected, Object actual) {
        @Override
        public String toString() {
            return key + ": expected " + expected + ", found " + actual;
        }
    }

    public boolean ok() {
        return mismatches.isEmpty();
    }
}
