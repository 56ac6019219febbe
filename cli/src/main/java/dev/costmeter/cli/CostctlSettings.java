package dev.costmeter.cli;

import dev.costmeter.schemas.config.ConfigLayers;
import dev.costmeter.schemas.config.DeprecatedNames;
import dev.costmeter.schemas.config.KafkaClientSecurity;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * costctl's configuration, resolved like every costmeter component's ({@link ConfigLayers}):
 * defaults, the {@code --config} file (else {@code COSTMETER_CONFIG_FILE}'s), {@code COSTMETER_*}
 * variables, then the command's options. The Kafka client's security keys and the registry
 * client's ({@code basic.auth.*}, {@code schema.registry.ssl.*}) come from the same layers, so
 * costctl authenticates to a secured cluster the way the apps do.
 */
public record CostctlSettings(Map<String, String> values) {

    public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
    public static final String DEFAULT_REGISTRY_URL = "http://localhost:8081";
    public static final String DEFAULT_METERING_URL = "http://localhost:8090";

    private static final Map<String, String> DEFAULTS = Map.of(
            "bootstrap.servers", DEFAULT_BOOTSTRAP_SERVERS,
            "schema.registry.url", DEFAULT_REGISTRY_URL,
            "metering.url", DEFAULT_METERING_URL,
            "topic.prices", "llm.prices.v1",
            "topic.budgets", "llm.budgets.v1",
            "topic.control", "llm.control.v1");
    /** costctl read TOPIC_PRICES, TOPIC_BUDGETS and TOPIC_CONTROL before. */
    private static final DeprecatedNames OLD_TOPIC_VARIABLES = DeprecatedNames.prefixed("TOPIC_", "topic.");

    public CostctlSettings {
        values = Map.copyOf(values);
    }

    static CostctlSettings resolve(Optional<Path> configFile, Map<String, String> env, Map<String, String> flags) {
        return new CostctlSettings(ConfigLayers.resolve(DEFAULTS, configFile, env, OLD_TOPIC_VARIABLES, flags));
    }

    public String bootstrapServers() {
        return values.get("bootstrap.servers");
    }

    public String schemaRegistryUrl() {
        return values.get("schema.registry.url");
    }

    public String meteringUrl() {
        return values.get("metering.url");
    }

    public String pricesTopic() {
        return values.get("topic.prices");
    }

    public String budgetsTopic() {
        return values.get("topic.budgets");
    }

    public String controlTopic() {
        return values.get("topic.control");
    }

    /** {@code security.protocol}, {@code sasl.*}, {@code ssl.*}: copied into every Kafka client costctl makes. */
    public Map<String, String> kafkaSecurity() {
        return KafkaClientSecurity.of(values);
    }

    /** The schema registry client's credentials and TLS settings. */
    public Map<String, String> registryClientProperties() {
        Map<String, String> registry = new TreeMap<>();
        values.forEach((key, value) -> {
            if (key.startsWith("basic.auth.") || key.startsWith("schema.registry.ssl.")) {
                registry.put(key, value);
            }
        });
        return registry;
    }

    @Override
    public String toString() {
        return "CostctlSettings" + dev.costmeter.schemas.config.SecretRedaction.displayed(values);
    }
}
