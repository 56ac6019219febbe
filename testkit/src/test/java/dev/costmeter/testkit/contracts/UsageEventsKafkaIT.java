package dev.costmeter.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.SchemaRegistryExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** UsageEvents produced with the serializer to a real broker read back decoded, through the real registry. */
class UsageEventsKafkaIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);

    @Test
    void shouldReadBackDecodedEveryUsageEventProducedWithTheSerializer() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        String topic = kafka.createUniqueTopic("llm.usage", 3);
        List<UsageEvent> sent = UsageEventSamples.events(200);
        UsageEventSamples.produce(kafka, REGISTRY.url(), topic, sent);

        List<UsageEvent> read = UsageEventSamples.readBack(kafka, REGISTRY.url(), topic, sent.size());

        assertThat(read).containsExactlyInAnyOrderElementsOf(sent);
    }

    /** Builds, produces and reads back sample events; shared with the three-broker test. */
    static final class UsageEventSamples {

        private UsageEventSamples() {
        }

        static List<UsageEvent> events(int count) {
            List<UsageEvent> events = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                events.add(UsageEvent.newBuilder().setEventId("e-" + i).setEventTime(Instant.ofEpochMilli(1_764_236_400_000L + i))
                        .setTenantId("tenant-" + (i % 3)).setTaskId("task-" + (i % 17)).setTaskClass("rag-qa").setRoute("search")
                        .setPromptVersion(i % 2 == 0 ? "answer@v3" : null).setProvider("anthropic").setModel("claude-sonnet-4-6")
                        .setInputTokens(100 + i).setOutputTokens(20 + i).setCacheReadTokens(i % 5 == 0 ? 4_096 : 0)
                        .setAttempt(1 + i % 3).setToolName(i % 4 == 0 ? "search" : null)
                        .setStatus(i % 10 == 0 ? CallStatus.RATE_LIMITED : CallStatus.OK)
                        .setLabels(Map.of("team", "t" + (i % 2))).build());
            }
            return events;
        }

        static void produce(KafkaCluster kafka, String registryUrl, String topic, List<UsageEvent> events) throws Exception {
            AvroSerializer<UsageEvent> serializer = new AvroSerializer<>();
            serializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
            try (KafkaProducer<String, UsageEvent> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), serializer)) {
                for (UsageEvent event : events) {
                    producer.send(new ProducerRecord<>(topic, event.getTaskId(), event)).get();
                }
            }
        }

        static List<UsageEvent> readBack(KafkaCluster kafka, String registryUrl, String topic, int count) {
            AvroDeserializer<UsageEvent> deserializer = new AvroDeserializer<>(UsageEvent.class);
            deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
            List<ConsumerRecord<String, UsageEvent>> records = kafka.readAll(topic, new StringDeserializer(), deserializer, count);
            records.forEach(r -> assertThat(r.key()).isEqualTo(r.value().getTaskId()));
            return records.stream().map(ConsumerRecord::value).toList();
        }
    }
}
