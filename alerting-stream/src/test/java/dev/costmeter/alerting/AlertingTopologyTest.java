package dev.costmeter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class AlertingTopologyTest {

    @Test
    void shouldNameEveryNodeStoreAndTheOneRepartition() {
        var registry = new RestSchemaRegistryClient(RegistryClientConfig.forUrl("http://127.0.0.1:1"));
        TopologyDescription description = AlertingTopology.build(AlertingDriver.settings(RuleSettings.defaults()),
                new AlertingSerdes(registry, Map.of(RegistryClientConfig.URL, "http://127.0.0.1:1")),
                new AlertingMetrics(new SimpleMeterRegistry())).describe();
        String text = description.toString();
        assertThat(text).doesNotContain("KSTREAM-").doesNotContain("KTABLE-");
        assertThat(text).contains("scope-signals-repartition", "task-guard", "scope-guard", "budgets-store",
                "task-state-store", "scope-switches-store", "control-source", "control-keeper", "control-keeper-store",
                "control-keeper-sink");
        assertThat(java.util.regex.Pattern.compile("topics?: \\[?([\\w.-]*repartition)").matcher(text).results()
                .map(m -> m.group(1)).distinct()).as("repartition topics").containsExactly("scope-signals-repartition");
    }
}
