package dev.costmeter.connect.isolation;

import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * costmeter's sinks read committed records only. metering-stream and alerting-stream write every
 * topic the sinks read in Kafka transactions; a consumer reading uncommitted data also receives the
 * records of aborted transactions, which would then reach PostgreSQL or a pager although Kafka never
 * committed them.
 *
 * <p>The shipped worker configurations set {@code consumer.isolation.level=read_committed} and the
 * shipped connector configurations {@value #ISOLATION_OVERRIDE_CONFIG}{@code =read_committed}. A
 * sink cannot see its worker's consumer settings, but it does see its own configuration, so it
 * refuses an override to any other level: when the configuration is validated (the error is
 * attached to that key) and again when the connector or a task starts, for a configuration stored
 * before this rule existed.
 */
public final class ReadCommittedOnly {

    /** The connector-level override of the sink consumer's isolation level. */
    public static final String ISOLATION_OVERRIDE_CONFIG = "consumer.override.isolation.level";

    private static final String READ_COMMITTED = "read_committed";

    private ReadCommittedOnly() {
    }

    /** Why this connector configuration breaks the rule, if it does; unset is fine (the worker's level applies). */
    public static Optional<String> error(Map<String, String> connectorConfig) {
        String level = connectorConfig.get(ISOLATION_OVERRIDE_CONFIG);
        if (level == null || level.trim().toLowerCase(Locale.ROOT).equals(READ_COMMITTED)) {
            return Optional.empty();
        }
        return Optional.of("Must be " + READ_COMMITTED + ": costmeter's topics are written in transactions, and a sink "
                + "reading with isolation level " + level.trim() + " would also write the records of aborted transactions");
    }

    /** Throws a {@link ConfigException} naming {@value #ISOLATION_OVERRIDE_CONFIG} if the configuration breaks the rule. */
    public static void require(Map<String, String> connectorConfig) {
        error(connectorConfig).ifPresent(message -> {
            throw new ConfigException(ISOLATION_OVERRIDE_CONFIG, connectorConfig.get(ISOLATION_OVERRIDE_CONFIG), message);
        });
    }

    /**
     * Attaches the error, if any, to {@value #ISOLATION_OVERRIDE_CONFIG} in a connector's
     * validation result, adding a value for that key when the result has none: the key is
     * Connect's, not the connector's, and Connect counts errors on keys a connector does not define.
     */
    public static void addErrorTo(Config validation, Map<String, String> connectorConfig) {
        error(connectorConfig).ifPresent(message -> valueOf(validation, ISOLATION_OVERRIDE_CONFIG, connectorConfig)
                .addErrorMessage(message));
    }

    private static ConfigValue valueOf(Config validation, String name, Map<String, String> connectorConfig) {
        for (ConfigValue value : validation.configValues()) {
            if (value.name().equals(name)) {
                return value;
            }
        }
        ConfigValue added = new ConfigValue(name, connectorConfig.get(name), new ArrayList<>(), new ArrayList<>());
        validation.configValues().add(added);
        return added;
    }
}
