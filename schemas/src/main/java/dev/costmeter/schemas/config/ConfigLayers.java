package dev.costmeter.schemas.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way every costmeter runnable is configured (stream apps, registry, costctl, the local
 * stack, services through the client builders): flat keys as in a {@code .properties} file, Kafka
 * client keys ({@code bootstrap.servers}, {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}) among them, resolved in four layers, lowest first:
 * <ol>
 *   <li>the component's code defaults;</li>
 *   <li>a properties file (UTF-8): the one given on the command line ({@code --config FILE}, or the
 *       stream apps' and registry's first argument), else the file named by
 *       {@code COSTMETER_CONFIG_FILE};</li>
 *   <li>the environment: {@code COSTMETER_A_B_C} sets the key {@code a.b-c} (upper case, dots and
 *       dashes as underscores; a variable that matches no key of the lower layers sets the key
 *       spelled in lower case with underscores as dots). Older variables ({@code TOPIC_*},
 *       {@code REGISTRY_*}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code SCHEMA_REGISTRY_URL}) still
 *       work, below the {@code COSTMETER_*} spelling of the same key, each with a WARN naming it;</li>
 *   <li>explicit flags.</li>
 * </ol>
 * A blank value in a higher layer removes the key; values are trimmed. Secrets belong in the file
 * (owner-readable only), not on a command line: {@link SecretRedaction} keeps them out of logs.
 */
public final class ConfigLayers {

    private static final Logger log = LoggerFactory.getLogger(ConfigLayers.class);

    public static final String ENV_PREFIX = "COSTMETER_";
    /** Names the properties file when no {@code --config} is given. */
    public static final String CONFIG_FILE_ENV = "COSTMETER_CONFIG_FILE";
    /** Variables older than this mechanism that every component still honours. */
    public static final DeprecatedNames COMMON_DEPRECATED = DeprecatedNames.named(Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "bootstrap.servers",
            "SCHEMA_REGISTRY_URL", "schema.registry.url"));

    private static final Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private ConfigLayers() {
    }

    /**
     * The resolved configuration.
     *
     * @param defaults     the component's defaults
     * @param explicitFile a file given on the command line; without one, {@code COSTMETER_CONFIG_FILE}'s
     * @param env          the environment, usually {@code System.getenv()}
     * @param deprecated   older variables the component honoured (besides {@link #COMMON_DEPRECATED})
     * @param flags        explicit command-line settings
     * @throws ConfigException when a properties file is named but cannot be read
     */
    public static Map<String, String> resolve(Map<String, String> defaults, Optional<Path> explicitFile,
            Map<String, String> env, DeprecatedNames deprecated, Map<String, String> flags) {
        Map<String, String> merged = new LinkedHashMap<>();
        overlay(merged, defaults);
        configFile(explicitFile, env).ifPresent(path -> overlay(merged, readProperties(path)));
        overlay(merged, fromEnvironment(merged.keySet(), env, COMMON_DEPRECATED.or(deprecated)));
        overlay(merged, flags);
        return merged;
    }

    /** The properties file to read: the explicit one, else {@code COSTMETER_CONFIG_FILE}'s. */
    public static Optional<Path> configFile(Optional<Path> explicitFile, Map<String, String> env) {
        if (explicitFile.isPresent()) {
            return explicitFile;
        }
        String named = env.get(CONFIG_FILE_ENV);
        return named == null || named.isBlank() ? Optional.empty() : Optional.of(Path.of(named.trim()));
    }

    /** {@code a.b-c} → {@code COSTMETER_A_B_C}. */
    public static String envName(String key) {
        return ENV_PREFIX + key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * The overrides {@code env} makes: deprecated variables first, then {@code COSTMETER_*} ones
     * (which win over a deprecated variable for the same key).
     */
    static Map<String, String> fromEnvironment(Collection<String> knownKeys, Map<String, String> env, DeprecatedNames deprecated) {
        Map<String, String> overrides = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>(knownKeys);
        // A blank old variable is ignored, as it always was (only COSTMETER_* blanks unset a key).
        env.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .sorted(Map.Entry.comparingByKey()).forEach(e -> deprecated.keyFor(e.getKey()).ifPresent(key -> {
            if (warned.add(e.getKey())) {
                log.warn("Environment variable {} is deprecated: set {} (key {}) instead", e.getKey(), envName(key), key);
            }
            overrides.put(key, e.getValue());
            keys.add(key);
        }));
        Map<String, String> byEnvName = new LinkedHashMap<>();
        keys.forEach(key -> byEnvName.putIfAbsent(envName(key), key));
        env.entrySet().stream()
                .filter(e -> e.getKey().startsWith(ENV_PREFIX) && e.getKey().length() > ENV_PREFIX.length())
                .filter(e -> !e.getKey().equals(CONFIG_FILE_ENV))
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> {
                    String key = byEnvName.get(e.getKey());
                    if (key == null) {
                        key = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
                    }
                    overrides.put(key, e.getValue());
                });
        return overrides;
    }

    /** Reads a UTF-8 properties file. */
    public static Map<String, String> readProperties(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("Properties file " + path + " does not exist");
        } catch (IOException e) {
            throw new ConfigException("Cannot read properties file " + path + ": " + e.getMessage());
        }
        Map<String, String> result = new LinkedHashMap<>();
        properties.stringPropertyNames().forEach(name -> result.put(name, properties.getProperty(name)));
        return result;
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
