package dev.costmeter.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicPlanTest {

    private static final String SEVEN_DAYS_MS = Long.toString(7L * 24 * 60 * 60 * 1000);
    private static final String THIRTY_DAYS_MS = Long.toString(30L * 24 * 60 * 60 * 1000);

    @Test
    void shouldPlanEveryTopicOfTopicNames() {
        TopicNames names = TopicNames.defaults();
        List<String> planned = TopicPlan.specs(names, 6).stream().map(TopicPlan.Spec::name).toList();
        assertThat(planned).containsExactlyInAnyOrder(java.util.Arrays.stream(TopicNames.Logical.values())
                .map(names::name).toArray(String[]::new));
    }

    @Test
    void shouldGiveUsageAndTaskOutcomesTheSamePartitionsSoMeteringJoinsThemWithoutARepartition() {
        Map<String, TopicPlan.Spec> plan = byName(TopicPlan.specs(TopicNames.defaults(), 12));
        assertThat(plan.get("llm.usage.v1").partitions()).isEqualTo(12);
        assertThat(plan.get("llm.task-outcomes.v1").partitions()).isEqualTo(12);
        assertThat(plan.get("llm.ledger.v1").partitions()).isEqualTo(12);
        assertThat(plan.get("llm.rollups.v1").partitions()).isEqualTo(12);
    }

    @Test
    void shouldKeepPricesBudgetsAndControlOnOneCompactedPartition() {
        Map<String, TopicPlan.Spec> plan = byName(TopicPlan.specs(TopicNames.defaults(), 6));
        for (String topic : List.of("llm.prices.v1", "llm.budgets.v1", "llm.control.v1")) {
            assertThat(plan.get(topic).partitions()).as(topic).isEqualTo(1);
            assertThat(plan.get(topic).configs()).as(topic)
                    .containsEntry("cleanup.policy", "compact").containsEntry("min.compaction.lag.ms", "60000");
        }
    }

    @Test
    void shouldKeepAlertsOnOnePartitionSoAScopesLadderReachesOnCallInOrder() {
        assertThat(byName(TopicPlan.specs(TopicNames.defaults(), 6)).get("llm.alerts.v1").partitions()).isEqualTo(1);
    }

    @Test
    void shouldRetainUsageAndRollupsSevenDaysAndTheLedgerAlertsAndDeadLettersThirty() {
        Map<String, TopicPlan.Spec> plan = byName(TopicPlan.specs(TopicNames.defaults(), 6));
        for (String topic : List.of("llm.usage.v1", "llm.task-outcomes.v1", "llm.rollups.v1")) {
            assertThat(plan.get(topic).configs()).as(topic)
                    .containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", SEVEN_DAYS_MS);
        }
        for (String topic : List.of("llm.ledger.v1", "llm.alerts.v1", "llm.usage.dlq.v1")) {
            assertThat(plan.get(topic).configs()).as(topic)
                    .containsEntry("cleanup.policy", "delete").containsEntry("retention.ms", THIRTY_DAYS_MS);
        }
    }

    @Test
    void shouldPlanTheConfiguredNamesWhenAnOperatorOverridesThem() {
        TopicNames names = TopicNames.from(Map.of("topic.usage", "prod.usage"));
        assertThat(TopicPlan.specs(names, 6)).extracting(TopicPlan.Spec::name).contains("prod.usage")
                .doesNotContain("llm.usage.v1");
    }

    private static Map<String, TopicPlan.Spec> byName(List<TopicPlan.Spec> specs) {
        return specs.stream().collect(Collectors.toMap(TopicPlan.Spec::name, Function.identity()));
    }
}
