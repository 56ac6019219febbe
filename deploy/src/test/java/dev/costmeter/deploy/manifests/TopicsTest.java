package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.schemas.topics.TopicPlan;
import dev.costmeter.schemas.topics.TopicNames;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.junit.jupiter.api.Test;

/**
 * The topics Compose and Kubernetes create are exactly {@link TopicPlan}'s, with its partitions,
 * retention and compaction; the connectors read only topics of the plan. The number of data
 * partitions is the deployment's choice ({@code TopicPlan.specs(names, dataPartitions)}), so it is
 * read from the usage topic and every other topic is compared with the plan at that number.
 */
class TopicsTest {

    private static final Pattern CREATE = Pattern.compile("--topic (\\S+) --partitions (\\d+)((?: --config \\S+)*)");

    @Test
    void shouldCreateInComposeExactlyTheTopicsOfThePlan() {
        List<TopicPlan.Spec> created = new ArrayList<>();
        Matcher create = CREATE.matcher(Compose.command(Compose.service("topics")));
        while (create.find()) {
            Map<String, String> configs = new LinkedHashMap<>();
            for (String config : create.group(3).trim().split("\\s*--config\\s+")) {
                if (!config.isBlank()) {
                    configs.put(config.substring(0, config.indexOf('=')), config.substring(config.indexOf('=') + 1));
                }
            }
            created.add(new TopicPlan.Spec(create.group(1), Integer.parseInt(create.group(2)), configs));
        }

        assertMatchesPlan(created, "compose");
    }

    @Test
    void shouldDeclareAKafkaTopicForExactlyTheTopicsOfThePlan() {
        List<TopicPlan.Spec> declared = new ArrayList<>();
        for (JsonNode topic : DeployFiles.kubernetesResources("KafkaTopic")) {
            JsonNode spec = topic.path("spec");
            Map<String, String> configs = new LinkedHashMap<>();
            spec.path("config").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
            String name = spec.path("topicName").asText(topic.path("metadata").path("name").asText());
            declared.add(new TopicPlan.Spec(name, spec.path("partitions").asInt(), configs));

            int replicas = spec.path("replicas").asInt();
            int minIsr = Integer.parseInt(configs.getOrDefault("min.insync.replicas", "1"));
            assertThat(replicas).as(name + ": acks=all writes survive one replica down").isGreaterThan(minIsr);
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).as(name).isNotBlank();
        }

        assertMatchesPlan(declared, "k8s");
    }

    @Test
    void shouldLetTheConnectorsReadOnlyTopicsOfThePlan() {
        Set<String> planned = new TreeSet<>(TopicPlan.specs(TopicNames.defaults(), 1).stream().map(TopicPlan.Spec::name).toList());
        for (ConnectorConfigs.Connector connector : ConnectorConfigs.all()) {
            for (String topic : connector.config().get("topics").split(",")) {
                assertThat(planned).as(connector.where()).contains(topic.trim());
            }
        }
    }

    private static void assertMatchesPlan(List<TopicPlan.Spec> actual, String where) {
        int dataPartitions = actual.stream().filter(s -> s.name().equals(TopicNames.defaults().usage()))
                .findFirst().orElseThrow(() -> new AssertionError(where + " does not create the usage topic"))
                .partitions();
        List<TopicPlan.Spec> plan = TopicPlan.specs(TopicNames.defaults(), dataPartitions);

        assertThat(actual).extracting(TopicPlan.Spec::name).as(where)
                .containsExactlyInAnyOrderElementsOf(plan.stream().map(TopicPlan.Spec::name).toList());
        for (TopicPlan.Spec expected : plan) {
            TopicPlan.Spec spec = actual.stream().filter(s -> s.name().equals(expected.name())).findFirst().orElseThrow();
            assertThat(spec.partitions()).as(where + " " + spec.name() + " partitions").isEqualTo(expected.partitions());
            assertThat(spec.configs()).as(where + " " + spec.name() + " configs").containsAllEntriesOf(expected.configs());
            assertThat(LogConfig.configNames()).as(where + " " + spec.name() + " sets only topic configs")
                    .containsAll(spec.configs().keySet());
        }
    }
}
