package dev.costmeter.runtime;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Maps environment variables onto configuration keys; the rules are on {@link AppConfig}. */
final class EnvironmentOverrides {

    static final String PREFIX = "COSTMETER_";
    static final Map<String, String> ALIASES = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "bootstrap.servers",
            "SCHEMA_REGISTRY_URL", "schema.registry.url");

    private EnvironmentOverrides() {
    }

    /** {@code a.b-c} → {@code COSTMETER_A_B_C}. */
    static String envName(String key) {
        return PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * The overrides that {@code env} makes: aliases first, then {@code COSTMETER_*} variables
     * (which win over an alias for the same key). A variable naming one of {@code knownKeys}
     * sets that key, dashes included; any other sets the lower-cased, dotted spelling.
     */
    static Map<String, String> resolve(Collection<String> knownKeys, Map<String, String> env) {
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (String key : knownKeys) {
            byEnvName.putIfAbsent(envName(key), key);
        }
        ALIASES.values().forEach(key -> byEnvName.putIfAbsent(envName(key), key));

        Map<String, String> overrides = new LinkedHashMap<>();
        ALIASES.forEach((variable, key) -> {
            if (env.containsKey(variable)) {
                overrides.put(key, env.get(variable));
            }
        });
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(PREFIX) && e.getKey().length() > PREFIX.length())
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String key = byEnvName.get(e.getKey());
                    if (key == null) {
                        key = e.getKey().substring(PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    }
                    overrides.put(key, e.getValue());
                });
        return overrides;
    }
}
