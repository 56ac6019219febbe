package dev.costmeter.connect.alerts;

import dev.costmeter.connect.Version;
import dev.costmeter.connect.isolation.ReadCommittedOnly;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Delivers costmeter alerts ({@code llm.alerts.v1}) to webhooks: generic JSON, Slack incoming
 * webhooks and PagerDuty Events API v2. Values must reach it as raw bytes
 * ({@code value.converter=org.apache.kafka.connect.converters.ByteArrayConverter}).
 *
 * <p>Run one task per connector unless pages may arrive out of order: alerts of one dedup key share
 * a partition, so any task count keeps trigger before resolve.
 */
public final class AlertSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public String version() {
        return Version.get();
    }

    @Override
    public void start(Map<String, String> props) {
        new AlertSinkConfig(props); // fail fast, with the key at fault
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return AlertSinkTask.class;
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
        return AlertSinkConfig.BASE_CONFIG_DEF;
    }

    /**
     * Validates against the definition for the endpoints named in the configuration, so each
     * endpoint's keys are checked and shown; then attaches cross-field errors to the key at fault,
     * and refuses a consumer that would read uncommitted alerts ({@link ReadCommittedOnly}).
     */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        ConfigDef def = AlertSinkConfig.configDef(AlertSinkConfig.endpointNames(connectorConfigs));
        List<ConfigValue> values = new ArrayList<>(def.validate(connectorConfigs));
        AlertSinkConfig.crossFieldErrors(connectorConfigs).forEach((key, message) -> values.stream()
                .filter(value -> value.name().equals(key))
                .findFirst()
                .ifPresent(value -> value.addErrorMessage(message)));
        Config config = new Config(values);
        ReadCommittedOnly.addErrorTo(config, connectorConfigs);
        return config;
    }
}
