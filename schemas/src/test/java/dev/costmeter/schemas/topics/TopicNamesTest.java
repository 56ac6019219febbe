package dev.costmeter.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

    @Test
    void shouldUseTheDocumentedDefaults() {
        TopicNames topics = TopicNames.defaults();
        assertThat(topics.usage()).isEqualTo("llm.usage.v1");
        assertThat(topics.taskOutcomes()).isEqualTo("llm.task-outcomes.v1");
        assertThat(topics.prices()).isEqualTo("llm.prices.v1");
        assertThat(topics.budgets()).isEqualTo("llm.budgets.v1");
        assertThat(topics.ledger()).isEqualTo("llm.ledger.v1");
        assertThat(topics.rollups()).isEqualTo("llm.rollups.v1");
        assertThat(topics.alerts()).isEqualTo("llm.alerts.v1");
        assertThat(topics.control()).isEqualTo("llm.control.v1");
        assertThat(topics.usageDlq()).isEqualTo("llm.usage.dlq.v1");
    }

    @Test
    void shouldLetPropertiesOverrideAndTheEnvironmentOverrideProperties() {
        TopicNames topics = TopicNames.from(
                Map.of("topic.usage", "prod.usage", "topic.ledger", "prod.ledger"),
                Map.of("TOPIC_LEDGER", "env.ledger", "TOPIC_TASK_OUTCOMES", "env.outcomes"));
        assertThat(topics.usage()).isEqualTo("prod.usage");
        assertThat(topics.ledger()).isEqualTo("env.ledger");
        assertThat(topics.taskOutcomes()).isEqualTo("env.outcomes");
        assertThat(topics.alerts()).isEqualTo("llm.alerts.v1");
    }

    @Test
    void shouldRejectAnIllegalTopicNameNamingTheKey() {
        assertThatThrownBy(() -> TopicNames.from(Map.of("topic.alerts", "bad name!"), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topic.alerts")
                .hasMessageContaining("bad name!");
    }
}
