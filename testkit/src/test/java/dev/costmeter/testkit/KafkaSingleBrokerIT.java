package dev.costmeter.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaSingleBrokerIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private final KafkaCluster injectedIntoConstructor;

    KafkaSingleBrokerIT(KafkaCluster kafka) {
        this.injectedIntoConstructor = kafka;
    }

    @Test
    void shouldDeliverOnlyCommittedTransactionsToReadCommittedReaders(KafkaCluster kafka) throws Exception {
        String topic = kafka.createUniqueTopic("transactions", 1);
        Map<String, Object> props = kafka.producerProps();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, kafka.uniqueName("tx"));

        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "tenant-a", "aborted-1"));
            producer.send(new ProducerRecord<>(topic, "tenant-a", "aborted-2"));
            producer.flush();
            producer.abortTransaction();

            producer.beginTransaction();
            for (int i = 1; i <= 3; i++) {
                producer.send(new ProducerRecord<>(topic, "tenant-a", "committed-" + i));
            }
            producer.commitTransaction();
        }

        // One partition: the aborted records sit before the committed ones, so reading the
        // committed three proves the aborted two were skipped.
        List<ConsumerRecord<String, String>> records =
                kafka.readAll(topic, new StringDeserializer(), new StringDeserializer(), 3, Duration.ofSeconds(30));

        assertThat(records).extracting(ConsumerRecord::value)
                .containsExactly("committed-1", "committed-2", "committed-3");
        assertThat(records).extracting(ConsumerRecord::key).containsOnly("tenant-a");
    }

    @Test
    void shouldLetAConsumerGroupReadWhatWasProducedWithTheDefaultProps(KafkaCluster kafka) throws Exception {
        String topic = kafka.createUniqueTopic("group-read", 3);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 6; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i)).get(30, TimeUnit.SECONDS);
            }
        }

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                kafka.consumerProps(kafka.uniqueName("group")), new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < 6 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
            }
        }

        assertThat(values).containsExactlyInAnyOrder(
                "value-0", "value-1", "value-2", "value-3", "value-4", "value-5");
    }

    @Test
    void shouldFailReadAllNamingTheTopicWhenTooFewRecordsArrive(KafkaCluster kafka) throws Exception {
        String topic = kafka.createUniqueTopic("too-few", 1);
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, "only", "one")).get(30, TimeUnit.SECONDS);
        }

        assertThatThrownBy(() -> kafka.readAll(topic, new StringDeserializer(), new StringDeserializer(), 2,
                Duration.ofMillis(500)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'" + topic + "'")
                .hasMessageContaining("but read 1")
                .hasMessageContaining("only=one");
    }

    @Test
    void shouldFailReadAllClearlyWhenTheTopicDoesNotExist(KafkaCluster kafka) {
        String topic = kafka.uniqueTopicName("missing");

        assertThatThrownBy(() -> kafka.readAll(topic, new StringDeserializer(), new StringDeserializer(), 1))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'" + topic + "': it does not exist");
    }

    @Test
    void shouldCreateTopicsWithTheGivenPartitionsAndConfigs(KafkaCluster kafka) throws Exception {
        String topic = kafka.uniqueTopicName("compacted");

        kafka.createTopic(topic, 4, Map.of("cleanup.policy", "compact"));

        assertThat(kafka.admin().describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions())
                .hasSize(4);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config config = kafka.admin().describeConfigs(List.of(resource)).all().get().get(resource);
        assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    }

    @Test
    void shouldHandOutADifferentLegalNameOnEveryCall(KafkaCluster kafka) {
        String first = kafka.uniqueTopicName("usage events");
        String second = kafka.uniqueTopicName("usage events");

        assertThat(first).isNotEqualTo(second).startsWith("usage-events-").matches("[a-zA-Z0-9._-]+");
    }

    @Test
    void shouldInjectTheSameRunningClusterEverywhere(KafkaCluster kafka) {
        assertThat(kafka).isSameAs(injectedIntoConstructor).isSameAs(KAFKA.cluster());
        assertThat(kafka.mode()).isEqualTo(KafkaCluster.Mode.IN_JVM);
        assertThat(kafka.brokerCount()).isEqualTo(1);
        assertThat(kafka.defaultReplicationFactor()).isEqualTo((short) 1);
    }
}
