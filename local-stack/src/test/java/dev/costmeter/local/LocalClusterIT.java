package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.schemas.topics.TopicPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local stack as a cluster with failure domains, as the fault campaign runs it: three Kafka
 * nodes (a three-voter quorum), every topic on three replicas with min.insync.replicas 2, and each
 * process killed from outside (kill -9, as a crash) and brought back by the supervisor while the
 * rest keeps serving.
 */
class LocalClusterIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldReplicateEveryTopicThriceAndRestartAKilledControllerAndMeteringWhileTheClusterKeepsServing()
            throws Exception {
        StackConfig config = StackConfig.defaults(dataDir).withFreePorts()
                .withBrokers(3).withMeteringInstances(1).withAlertingInstances(0);
        List<Component> components;
        try (LocalStack stack = LocalStack.start(config); Admin admin = admin(stack)) {
            components = stack.components();
            assertThat(components).extracting(Component::name).containsExactly("kafka-1", "kafka-2", "kafka-3",
                    "schema-registry", "postgresql", "metering-stream", "ingest-gateway", "kafka-connect");
            assertThat(components).allSatisfy(c -> assertThat(ProcessHandle.of(c.pid()).orElseThrow().info().command())
                    .as(c.name() + "'s pid is its JVM").hasValueSatisfying(command -> assertThat(command).endsWith("java")));
            assertEveryTopicOnThreeReplicasWithMinInsyncTwo(admin);

            Component metering = stack.component("metering-stream");
            long meteringPid = metering.pid();
            int controllerId = stack.activeControllerId();
            Component controller = stack.component("kafka-" + controllerId);
            long controllerPid = controller.pid();
            admin.createTopics(List.of(new NewTopic("cluster-it", 6, (short) 3))).all().get(30, TimeUnit.SECONDS);

            ProcessHandle.of(meteringPid).orElseThrow().destroyForcibly();
            ProcessHandle.of(controllerPid).orElseThrow().destroyForcibly();

            assertThat(produceToEveryPartition(stack, "cluster-it")).as("acks=all writes while a broker is down").hasSize(6);
            Awaitility.await("another controller elected").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptions().until(() -> stack.activeControllerId() != controllerId);
            Awaitility.await("the killed broker and metering restarted and healthy").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> controller.restarts() == 1 && controller.pid() != controllerPid && controller.isHealthy()
                            && metering.restarts() == 1 && metering.pid() != meteringPid && metering.isHealthy());
            stack.awaitHealthy(Duration.ofSeconds(120));
            assertThat(components).filteredOn(c -> c != controller && c != metering)
                    .allSatisfy(c -> assertThat(c.restarts()).as(c.name() + " kept running").isZero());
        }
        assertThat(components).allSatisfy(c -> assertThat(c.isAlive()).as(c.name() + " stopped").isFalse());
    }

    private static void assertEveryTopicOnThreeReplicasWithMinInsyncTwo(Admin admin) throws Exception {
        Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(30, TimeUnit.SECONDS);
        List<String> expected = new ArrayList<>(TopicPlan.specs(TopicNames.defaults(), 6).stream().map(TopicPlan.Spec::name).toList());
        expected.addAll(List.of("__consumer_offsets", "__transaction_state", "_schemas",
                "costmeter-connect-configs", "costmeter-connect-offsets", "costmeter-connect-status"));
        assertThat(topics).containsAll(expected);
        assertThat(topics).as("metering's changelog and repartition topics")
                .anyMatch(t -> t.startsWith("costmeter-metering-") && t.endsWith("-changelog"))
                .anyMatch(t -> t.startsWith("costmeter-metering-") && t.endsWith("-repartition"));

        Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(described.values()).allSatisfy(topic -> assertThat(topic.partitions())
                .as(topic.name() + " replicas").allSatisfy(p -> assertThat(p.replicas()).hasSize(3)));
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
        assertThat(configs).allSatisfy((topic, config) -> assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
                .as(topic.name() + " min.insync.replicas").isEqualTo("2"));
    }

    private static List<RecordMetadata> produceToEveryPartition(LocalStack stack, String topic) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        List<RecordMetadata> written = new ArrayList<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (int partition = 0; partition < 6; partition++) {
                sends.add(producer.send(new ProducerRecord<>(topic, partition, "key", "written with a broker down")));
            }
            for (Future<RecordMetadata> send : sends) {
                written.add(send.get(90, TimeUnit.SECONDS));
            }
        }
        return written;
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }
}
