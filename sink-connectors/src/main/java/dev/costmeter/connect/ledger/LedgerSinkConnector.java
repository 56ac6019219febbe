package dev.costmeter.connect.ledger;

import dev.costmeter.connect.Version;
import dev.costmeter.connect.isolation.ReadCommittedOnly;
import dev.costmeter.schemas.topics.TopicNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Sinks costmeter's ledger ({@code PricedUsage}), rollups ({@code CostRollup}) and task outcomes
 * ({@code TaskOutcome}) into PostgreSQL with idempotent batched upserts, creating and migrating
 * the schema and its reader views on start. Values must reach it as raw bytes
 * ({@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}); the task decodes
 * them through the schema registry.
 */
public final class LedgerSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new LedgerSinkConfig(props); // fail fast, with the key at fault
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return LedgerSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // Tasks hold every resource.
    }

    @Override
    public ConfigDef config() {
        return LedgerSinkConfig.CONFIG_DEF;
    }

    /**
     * Field validation, the rule that the sink reads committed records only, then the cross-field
     * check of {@code topics} against the topic keys.
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config config = super.validate(connectorConfigs);
        ReadCommittedOnly.addErrorTo(config, connectorConfigs);
        boolean topicKeysValid = config.configValues().stream()
                .filter(value -> value.name().startsWith("topic."))
                .allMatch(value -> value.errorMessages().isEmpty());
        if (!topicKeysValid) {
            return config;
        }
        Optional<String> error;
        try {
            error = LedgerSinkConfig.topicsError(TopicNames.from(connectorConfigs),
                    connectorConfigs.get(LedgerSinkConfig.TOPICS_CONFIG));
        } catch (org.apache.kafka.common.config.ConfigException e) {
            error = Optional.of(e.getMessage());
        }
        error.ifPresent(message -> valueOf(config, LedgerSinkConfig.TOPICS_CONFIG, connectorConfigs).addErrorMessage(message));
        return config;
    }

    static ConfigValue valueOf(Config config, String name, Map<String, String> connectorConfigs) {
        for (ConfigValue value : config.configValues()) {
            if (value.name().equals(name)) {
                return value;
            }
        }
        ConfigValue added = new ConfigValue(name, connectorConfigs.get(name), new ArrayList<>(), new ArrayList<>());
        config.configValues().add(added);
        return added;
    }
}
