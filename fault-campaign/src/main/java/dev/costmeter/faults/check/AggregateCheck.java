package dev.costmeter.faults.check;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Compares a store's values with the oracle's, key by key. */
public final class AggregateCheck {

    private AggregateCheck() {
    }

    /**
     * @param observed  what the store holds; a key the store does not have maps to null or is absent
     * @param exhaustive whether {@code observed} is everything the store holds (a table read whole), so
     *                   that a key the oracle does not expect is a discrepancy; false for a store asked
     *                   key by key
     */
    public static <K, V> AggregateResult compare(String store, Map<K, V> expected, Map<K, V> observed, boolean exhaustive) {
        List<AggregateResult.Mismatch> mismatches = new ArrayList<>();
        Set<K> keys = new HashSet<>(expected.keySet());
        if (exhaustive) {
            keys.addAll(observed.keySet());
        }
        keys.stream().sorted((a, b) -> String.valueOf(a).compareTo(String.valueOf(b))).forEach(key -> {
            V want = expected.get(key);
            V got = observed.get(key);
            if (!Objects.equals(want, got)) {
                mismatches.add(new AggregateResult.Mismatch(key, want, got));
            }
        });
        return new AggregateResult(store, keys.size(), mismatches);
    }
}
