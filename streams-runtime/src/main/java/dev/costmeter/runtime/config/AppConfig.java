package dev.costmeter.runtime.config;

import dev.costmeter.schemas.config.ConfigLayers;
import dev.costmeter.schemas.config.DeprecatedNames;
import dev.costmeter.schemas.config.SecretRedaction;
import dev.costmeter.schemas.topics.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigException;

/**
 * Immutable configuration of one costmeter streams application: flat string keys, as in a
 * {@code .properties} file, loaded the way every costmeter component loads its configuration
 * ({@link ConfigLayers}; docs/configuration.md): code defaults, then the properties file (the
 * app's first argument, else {@code COSTMETER_CONFIG_FILE}), then the environment
 * ({@code COSTMETER_A_B_C} sets {@code a.b-c}; the older {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code SCHEMA_REGISTRY_URL} and {@code TOPIC_<NAME>} still work, with a deprecation WARN, below
 * the {@code COSTMETER_*} spelling of the same key). A blank value in a higher layer removes the
 * key, so an empty environment variable unsets a value from the file. Values are trimmed.
 *
 * <p>Typed accessors throw {@link ConfigException} naming the key and the bad value (values of
 * secret keys are redacted). {@link #toString()} redacts every key that looks like a secret, and
 * the credentials of any URL ({@code http://user:pass@registry:8081}, as in a registry URL).
 */
public final class AppConfig {

    /** {@code TOPIC_<NAME>}, the topic override before {@code COSTMETER_TOPIC_<NAME>}. */
    private static final DeprecatedNames OLD_TOPIC_VARIABLES = DeprecatedNames.prefixed("TOPIC_", "topic.",
            java.util.Arrays.stream(TopicNames.Logical.values()).map(t -> t.configKey().substring("topic.".length()))
                    .toArray(String[]::new));

    private final String appName;
    private final Map<String, String> values;

    private AppConfig(String appName, Map<String, String> values) {
        this.appName = appName;
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * Loads the configuration of {@code appName}; see the class comment for the override order.
     *
     * @param appName        the application's name, e.g. {@code metering-stream}
     * @param codeDefaults   the app's defaults, lowest precedence
     * @param propertiesFile a properties file read as UTF-8, when given (else {@code COSTMETER_CONFIG_FILE}'s)
     * @param env            the environment, usually {@code System.getenv()}
     * @throws ConfigException when the properties file is given but cannot be read
     */
    public static AppConfig load(String appName, Map<String, String> codeDefaults,
            Optional<Path> propertiesFile, Map<String, String> env) {
        Objects.requireNonNull(appName, "appName");
        return new AppConfig(appName, ConfigLayers.resolve(codeDefaults, propertiesFile, env, OLD_TOPIC_VARIABLES, Map.of()));
    }

    /** A configuration holding exactly {@code values}; for tests and derived configs. */
    public static AppConfig of(String appName, Map<String, String> values) {
        Map<String, String> merged = new LinkedHashMap<>();
        overlay(merged, values);
        return new AppConfig(Objects.requireNonNull(appName, "appName"), merged);
    }

    /** The application's name, as passed to {@link #load}. */
    public String appName() {
        return appName;
    }

    /** The value of a required key. */
    public String string(String key) {
        return optional(key).orElseThrow(() -> missing(key));
    }

    /** The value of {@code key}, or {@code defaultValue} when it is not set. */
    public String string(String key, String defaultValue) {
        return optional(key).orElse(defaultValue);
    }

    /** The value of {@code key} when it is set (blank values count as not set). */
    public Optional<String> optional(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /** A required {@code int}. */
    public int integer(String key) {
        return parseInt(key, string(key));
    }

    /** An {@code int}, or {@code defaultValue} when the key is not set. */
    public int integer(String key, int defaultValue) {
        return optional(key).map(v -> parseInt(key, v)).orElse(defaultValue);
    }

    /** A required {@code long}. */
    public long longValue(String key) {
        return parseLong(key, string(key));
    }

    /** A {@code long}, or {@code defaultValue} when the key is not set. */
    public long longValue(String key, long defaultValue) {
        return optional(key).map(v -> parseLong(key, v)).orElse(defaultValue);
    }

    /** A required boolean: {@code true} or {@code false}, in any case. */
    public boolean bool(String key) {
        return parseBool(key, string(key));
    }

    /** A boolean, or {@code defaultValue} when the key is not set. */
    public boolean bool(String key, boolean defaultValue) {
        return optional(key).map(v -> parseBool(key, v)).orElse(defaultValue);
    }

    /**
     * A non-negative duration, or {@code defaultValue} when the key is not set. Accepts ISO-8601
     * ({@code PT5M}, {@code P7D}), a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m},
     * {@code 24h}, {@code 7d}) or a plain number of milliseconds.
     */
    public Duration duration(String key, Duration defaultValue) {
        return optional(key).map(v -> DurationParser.parse(key, v, display(key, v)))
                .orElse(defaultValue);
    }

    /**
     * The keys starting with {@code prefix}, with the prefix stripped, e.g.
     * {@code withPrefix("topic.")} gives {@code usage -> llm.usage.v1}.
     */
    public Map<String, String> withPrefix(String prefix) {
        Map<String, String> result = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith(prefix) && key.length() > prefix.length()) {
                result.put(key.substring(prefix.length()), value);
            }
        });
        return Collections.unmodifiableMap(result);
    }

    /** Every key and value, sorted by key. */
    public Map<String, String> asMap() {
        return values;
    }

    /** A copy with {@code overrides} on top (blank values remove keys). */
    public AppConfig with(Map<String, String> overrides) {
        Map<String, String> merged = new LinkedHashMap<>(values);
        overlay(merged, overrides);
        return new AppConfig(appName, merged);
    }

    /** Whether {@code key} names a secret ({@link SecretRedaction#isSensitive}). */
    public static boolean isSensitive(String key) {
        return SecretRedaction.isSensitive(key);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("AppConfig[").append(appName).append("]{");
        String sep = "";
        for (Map.Entry<String, String> e : values.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(display(e.getKey(), e.getValue()));
            sep = ", ";
        }
        return sb.append('}').toString();
    }

    private static String display(String key, String value) {
        return SecretRedaction.display(key, value);
    }

    private static ConfigException missing(String key) {
        return new ConfigException("Missing required configuration \"" + key
                + "\" (set it in the properties file or as " + ConfigLayers.envName(key) + ")");
    }

    private static int parseInt(String key, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, display(key, value), "not an integer");
        }
    }

    private static long parseLong(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ConfigException(key, display(key, value), "not a long integer");
        }
    }

    private static boolean parseBool(String key, String value) {
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ConfigException(key, display(key, value), "expected true or false");
    }

    private static void overlay(Map<String, String> target, Map<String, String> layer) {
        layer.forEach((key, value) -> {
            if (value == null || value.isBlank()) {
                target.remove(key);
            } else {
                target.put(key, value.trim());
            }
        });
    }
}
