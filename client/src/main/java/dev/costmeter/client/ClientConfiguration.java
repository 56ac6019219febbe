package dev.costmeter.client;

import dev.costmeter.schemas.config.ConfigLayers;
import dev.costmeter.schemas.config.DeprecatedNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * A service's costmeter settings, resolved the way every costmeter component resolves its own
 * ({@link ConfigLayers}; docs/configuration.md): the properties file given (else the one
 * {@code COSTMETER_CONFIG_FILE} names), then {@code COSTMETER_*} environment variables. Hand the
 * result to {@code UsageReporter.builder().configuration(...)} and
 * {@code KillSwitchClient.builder().configuration(...)}: {@code bootstrap.servers},
 * {@code schema.registry.url}, the Kafka client's {@code security.protocol}, {@code sasl.*},
 * {@code ssl.*}, the registry client's {@code basic.auth.*}, {@code topic.usage},
 * {@code topic.control} and {@code control.verify.keys} all reach the clients the same way.
 *
 * <pre>{@code
 * Map<String, String> settings = ClientConfiguration.load();   // COSTMETER_CONFIG_FILE, COSTMETER_*
 * UsageReporter reporter = UsageReporter.builder().configuration(settings).build();
 * KillSwitchClient switches = KillSwitchClient.builder().configuration(settings).build();
 * }</pre>
 */
public final class ClientConfiguration {

    private ClientConfiguration() {
    }

    /** From {@code COSTMETER_CONFIG_FILE}'s file, when set, and the {@code COSTMETER_*} environment. */
    public static Map<String, String> load() {
        return ConfigLayers.resolve(Map.of(), Optional.empty(), System.getenv(), DeprecatedNames.none(), Map.of());
    }

    /** From {@code file}, then the {@code COSTMETER_*} environment. */
    public static Map<String, String> load(Path file) {
        return ConfigLayers.resolve(Map.of(), Optional.of(file), System.getenv(), DeprecatedNames.none(), Map.of());
    }

    /** Whether {@code key} is costmeter's own (a topic name or the kill-switch keys), not a Kafka or registry client key. */
    public static boolean isCostmeterKey(String key) {
        return key.startsWith("topic.") || key.startsWith("control.");
    }
}
