package dev.costmeter.pricing;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code provider/model} keys ({@link PriceCatalog#key}), each built once and then handed out as the
 * same string. Metering needs a call's key three times (its price, its task's models, its rollup
 * scope); built afresh each time, each was a new string to allocate and then hash in a map lookup.
 * Kept, the string carries its hash, and a map holding it compares it by reference. Fastest when
 * the provider and model strings are themselves shared (the usage decoder hands out one string per
 * name), correct with any.
 *
 * <p>Not thread-safe: one per processor. Bounded: after {@value #MAX_KEYS} distinct keys it starts
 * over, so model names that are not few cost a map of at most that many entries.
 */
public final class ModelKeys {

    static final int MAX_KEYS = 4096;

    private final Map<String, Map<String, String>> byProvider = new HashMap<>();
    private int keys;

    /** {@code provider/model}. */
    public String of(String provider, String model) {
        Map<String, String> models = byProvider.get(provider);
        if (models != null) {
            String key = models.get(model);
            if (key != null) {
                return key;
            }
        }
        if (keys >= MAX_KEYS) {
            byProvider.clear();
            keys = 0;
            models = null;
        }
        if (models == null) {
            models = new HashMap<>();
            byProvider.put(provider, models);
        }
        String key = PriceCatalog.key(provider, model);
        key.hashCode(); // computed once, kept in the string
        models.put(model, key);
        keys++;
        return key;
    }
}
