package dev.costmeter.faults.campaign;

import dev.costmeter.faults.check.CheckReport;
import dev.costmeter.faults.check.EventStoreResult;
import dev.costmeter.faults.cluster.FaultRecord;
import dev.costmeter.faults.oracle.Expectations;
import dev.costmeter.faults.workload.SentLog;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Attributes each call, and each problem the checker found with it, to the fault window it was first
 * sent in: from one injection to the next (the last runs to the end of the run). Window -1 holds what
 * was sent before the first fault.
 */
final class FaultWindows {

    /** What was sent in one window and what went wrong with it, in any store of ledger rows. */
    record Window(long sent, long resent, Set<String> lost, Set<String> duplicated, Set<String> wrong) {
    }

    private final long[] starts;
    private final List<Window> windows = new ArrayList<>();

    FaultWindows(List<FaultRecord> records, int calls, SentLog sentLog, Expectations expected, CheckReport check) {
        this.starts = records.stream().mapToLong(FaultRecord::injectedAt).toArray();
        long[] sent = new long[starts.length + 1];
        long[] resent = new long[starts.length + 1];
        List<Set<String>> lost = sets();
        List<Set<String>> duplicated = sets();
        List<Set<String>> wrong = sets();
        for (int call = 0; call < calls; call++) {
            long at = sentLog.firstSentAtMs(call);
            if (at > 0) {
                sent[slot(at)]++;
            }
        }
        for (long at : sentLog.resentAtMs()) {
            resent[slot(at)]++;
        }
        for (EventStoreResult store : check.eventStores()) {
            store.missing().forEach(id -> lost.get(slotOf(id, sentLog, expected)).add(id));
            store.duplicated().keySet().forEach(id -> duplicated.get(slotOf(id, sentLog, expected)).add(id));
            store.wrong().keySet().forEach(id -> wrong.get(slotOf(id, sentLog, expected)).add(id));
        }
        for (int slot = 0; slot <= starts.length; slot++) {
            windows.add(new Window(sent[slot], resent[slot], lost.get(slot), duplicated.get(slot), wrong.get(slot)));
        }
    }

    /** Window {@code index} (-1: before the first fault). */
    Window window(int index) {
        return windows.get(index + 1);
    }

    private List<Set<String>> sets() {
        List<Set<String>> sets = new ArrayList<>();
        for (int i = 0; i <= starts.length; i++) {
            sets.add(new HashSet<>());
        }
        return sets;
    }

    private int slotOf(String eventId, SentLog sentLog, Expectations expected) {
        Integer call = expected.callIndex().get(eventId);
        return call == null ? 0 : slot(sentLog.firstSentAtMs(call));
    }

    /** 0 before the first fault, k after the k-th injection. */
    private int slot(long atMs) {
        int found = Arrays.binarySearch(starts, atMs);
        return found >= 0 ? found + 1 : -found - 1;
    }
}
