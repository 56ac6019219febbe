package dev.costmeter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaThreeBrokerIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.brokers(3);

    @AfterEach
    void bringStoppedBrokersBack() {
        KAFKA.cluster().restartStoppedBrokers();
    }

    @Test
    void shouldKeepServingWritesWhenOneOfThreeBrokersStops(KafkaCluster kafka) throws Exception {
        String topic = kafka.uniqueTopicName("failover");
        kafka.createTopic(topic, 1, Map.of("min.insync.replicas", "2"));
        assertThat(partition0(kafka, topic).replicas()).hasSize(3);

        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
            sendAll(producer, topic, 0, 10);

            int stoppedLeader = partition0(kafka, topic).leader().id();
            kafka.stopBroker(stoppedLeader);

            sendAll(producer, topic, 10, 20);
            TopicPartitionInfo afterStop = partition0(kafka, topic);
            assertThat(afterStop.leader().id()).isNotEqualTo(stoppedLeader);
            assertThat(afterStop.isr()).extracting(Node::id).hasSize(2).doesNotContain(stoppedLeader);
        }

        List<ConsumerRecord<String, String>> records =
                kafka.readAll(topic, new StringDeserializer(), new StringDeserializer(), 20);
        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactlyElementsOf(IntStream.range(0, 20).mapToObj(i -> "value-" + i).toList());
    }

    @Test
    void shouldRejoinAndCatchUpWhenAStoppedBrokerRestarts(KafkaCluster kafka) throws Exception {
        String topic = kafka.createUniqueTopic("rejoin", 2);
        int stopped = kafka.brokerIds().get(1);
        kafka.stopBroker(stopped);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
            sendAll(producer, topic, 0, 5);
        }

        kafka.restartBroker(stopped);
        kafka.awaitFullyReplicated(topic);

        assertThat(kafka.admin().describeCluster().nodes().get()).extracting(Node::id)
                .containsExactlyInAnyOrderElementsOf(kafka.brokerIds());
        assertThat(kafka.readAll(topic, new StringDeserializer(), new StringDeserializer(), 5)).hasSize(5);
    }

    @Test
    void shouldReplicateTopicsThreeTimesWithTwoInSyncReplicasRequiredByDefault(KafkaCluster kafka) throws Exception {
        String topic = kafka.createUniqueTopic("defaults", 1);

        assertThat(kafka.defaultReplicationFactor()).isEqualTo((short) 3);
        assertThat(partition0(kafka, topic).replicas()).hasSize(3);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
    }

    private static void sendAll(KafkaProducer<String, String> producer, String topic, int from, int to)
            throws Exception {
        for (int i = from; i < to; i++) {
            producer.send(new ProducerRecord<>(topic, "key", "value-" + i)).get(30, TimeUnit.SECONDS);
        }
    }

    private static TopicPartitionInfo partition0(KafkaCluster kafka, String topic) throws Exception {
        TopicDescription description = kafka.admin().describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic);
        return description.partitions().get(0);
    }
}
