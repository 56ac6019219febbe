package dev.costmeter.schemas.topics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.internals.Topic;

/**
 * Names of costmeter's topics. Each has a default; an operator overrides any of them with the key
 * {@code topic.<logical name>} (for example {@code topic.usage=prod.llm.usage.v1}), set like any
 * other key (docs/configuration.md): in the properties file or as {@code COSTMETER_TOPIC_USAGE}.
 * The older {@code TOPIC_USAGE} still works, with a deprecation warning, below it.
 */
public final class TopicNames {

    /** costmeter's topics, by logical name, with their default names. */
    public enum Logical {
        /** One UsageEvent per model call attempt, key task_id. */
        USAGE("usage", "llm.usage.v1"),
        /** TaskOutcome per finished task, key task_id. */
        TASK_OUTCOMES("task-outcomes", "llm.task-outcomes.v1"),
        /** Compacted PriceEntry per provider/model. */
        PRICES("prices", "llm.prices.v1"),
        /** Compacted BudgetPolicy per scope. */
        BUDGETS("budgets", "llm.budgets.v1"),
        /** PricedUsage per accepted call, key event_id: the cost ledger. */
        LEDGER("ledger", "llm.ledger.v1"),
        /** CostRollup per scope and window. */
        ROLLUPS("rollups", "llm.rollups.v1"),
        /** Alert per crossing and resolution, key dedup_key. */
        ALERTS("alerts", "llm.alerts.v1"),
        /** Compacted ControlCommand per scope: the kill switches. */
        CONTROL("control", "llm.control.v1"),
        /** Usage and outcome records that failed validation, with the reason in headers. */
        USAGE_DLQ("usage-dlq", "llm.usage.dlq.v1"),
        /** LedgerCorrection requests (costctl prices correct), key task_id, co-partitioned with usage. */
        PRICE_CORRECTIONS("price-corrections", "llm.price-corrections.v1"),
        /** LedgerCorrection per correction metering applied, key event_id: read by the ledger sink. */
        LEDGER_CORRECTIONS("ledger-corrections", "llm.ledger-corrections.v1");

        private final String key;
        private final String defaultName;

        Logical(String key, String defaultName) {
            this.key = key;
            this.defaultName = defaultName;
        }

        /** The override key, e.g. {@code topic.usage}. */
        public String configKey() {
            return "topic." + key;
        }

        /** The environment variable that overrides it, e.g. {@code TOPIC_USAGE}. */
        public String envVar() {
            return configKey().replace('.', '_').replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        }

        public String defaultName() {
            return defaultName;
        }
    }

    private final Map<Logical, String> names;

    private TopicNames(Map<Logical, String> names) {
        this.names = names;
    }

    /** The default names. */
    public static TopicNames defaults() {
        return from(Map.of(), Map.of());
    }

    /**
     * Defaults overridden by the {@code topic.*} keys of a configuration already resolved by
     * {@link dev.costmeter.schemas.config.ConfigLayers} (which folds the old {@code TOPIC_*} variables in).
     *
     * @throws ConfigException when an override is not a legal Kafka topic name
     */
    public static TopicNames from(Map<String, ?> configs) {
        return from(configs, Map.of());
    }

    /**
     * Defaults overridden by {@code topic.*} keys in {@code configs}, then by {@code TOPIC_*}
     * variables in {@code env}.
     *
     * @deprecated components resolve their configuration with ConfigLayers and call {@link #from(Map)}:
     *     here {@code TOPIC_*} wins over {@code COSTMETER_TOPIC_*}, against the documented order
     *
     * @throws ConfigException when an override is not a legal Kafka topic name
     */
    @Deprecated
    public static TopicNames from(Map<String, ?> configs, Map<String, String> env) {
        Map<Logical, String> names = new EnumMap<>(Logical.class);
        for (Logical topic : Logical.values()) {
            String name = topic.defaultName();
            Object configured = configs.get(topic.configKey());
            if (configured != null && !configured.toString().isBlank()) {
                name = configured.toString().trim();
            }
            String fromEnv = env.get(topic.envVar());
            if (fromEnv != null && !fromEnv.isBlank()) {
                name = fromEnv.trim();
            }
            try {
                Topic.validate(name);
            } catch (org.apache.kafka.common.errors.InvalidTopicException e) {
                throw new ConfigException(topic.configKey(), name, e.getMessage());
            }
            names.put(topic, name);
        }
        return new TopicNames(names);
    }

    /** The configured name of {@code topic}. */
    public String name(Logical topic) {
        return names.get(Objects.requireNonNull(topic));
    }

    public String usage() {
        return name(Logical.USAGE);
    }

    public String taskOutcomes() {
        return name(Logical.TASK_OUTCOMES);
    }

    public String prices() {
        return name(Logical.PRICES);
    }

    public String budgets() {
        return name(Logical.BUDGETS);
    }

    public String ledger() {
        return name(Logical.LEDGER);
    }

    public String rollups() {
        return name(Logical.ROLLUPS);
    }

    public String alerts() {
        return name(Logical.ALERTS);
    }

    public String control() {
        return name(Logical.CONTROL);
    }

    public String usageDlq() {
        return name(Logical.USAGE_DLQ);
    }

    public String priceCorrections() {
        return name(Logical.PRICE_CORRECTIONS);
    }

    public String ledgerCorrections() {
        return name(Logical.LEDGER_CORRECTIONS);
    }

    @Override
    public String toString() {
        return "TopicNames" + names;
    }
}
