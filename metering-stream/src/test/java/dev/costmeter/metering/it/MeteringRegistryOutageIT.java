package dev.costmeter.metering.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.http.HealthStatus;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * metering-stream started while the schema registry is down (the registry's own Kafka-backed
 * server, stopped and started again on the same port): it waits and says so, dead-letters nothing,
 * and meters every event once the registry is back. Before, it could not start at all, and a
 * thread that did run dead-lettered valid records.
 */
class MeteringRegistryOutageIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static final int EVENTS = 50;

    @TempDir
    Path stateDir;

    @Test
    void shouldWaitOutARegistryOutageAtStartAndDeadLetterNothing() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        Map<String, String> topics = new HashMap<>();
        for (String logical : List.of("usage", "task-outcomes", "ledger", "rollups", "usage-dlq", "price-corrections", "ledger-corrections")) {
            String name = kafka.uniqueTopicName(logical);
            kafka.createTopic(name, 2);
            topics.put("topic." + logical, name);
        }
        String prices = kafka.uniqueTopicName("prices");
        kafka.createTopic(prices, 1, Map.of("cleanup.policy", "compact"));
        topics.put("topic.prices", prices);
        String schemasTopic = kafka.uniqueTopicName("schemas");
        int port = freePort();

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        SchemaRegistryServer registry = startRegistry(kafka, schemasTopic, port);
        String url = registry.baseUri().toString();
        Map<String, Object> registryConfig = Map.of(RegistryClientConfig.URL, url);
        try (KafkaProducer<String, PriceEntry> producer = producer(kafka, registryConfig)) {
            producer.send(new ProducerRecord<>(prices, "openai/gpt-4o", PriceEntry.newBuilder().setProvider("openai")
                    .setModel("gpt-4o").setEffectiveFrom(now.minus(Duration.ofDays(1)))
                    .setInputNanosPerMtok(2_500_000_000L).setOutputNanosPerMtok(10_000_000_000L)
                    .setPriceVersion("openai/gpt-4o@test").build())).get();
        }
        try (KafkaProducer<String, UsageEvent> producer = producer(kafka, registryConfig)) {
            for (int i = 0; i < EVENTS; i++) {
                UsageEvent event = UsageEvent.newBuilder().setEventId("e-" + i).setEventTime(now.plusMillis(i))
                        .setTenantId("acme").setTaskId("task-" + (i % 7)).setTaskClass("support-answer").setRoute("chat")
                        .setProvider("openai").setModel("gpt-4o").setInputTokens(2_000).setOutputTokens(500)
                        .setStatus(CallStatus.OK).build();
                producer.send(new ProducerRecord<>(topics.get("topic.usage"), event.getTaskId(), event));
            }
            producer.flush();
        }
        registry.close();

        try (StreamsApp metering = app(kafka, topics, url)) {
            metering.start();
            Awaitility.await("metering says what it waits for").atMost(Duration.ofSeconds(30))
                    .until(() -> reason(metering).contains("schema registry"));
            // It keeps waiting: no client started, nothing dead-lettered.
            Awaitility.await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> metering.streams().state() == KafkaStreams.State.CREATED && !metering.health().ready());

            registry = startRegistry(kafka, schemasTopic, port);
            AvroDeserializer<PricedUsage> ledgerReader = new AvroDeserializer<>(PricedUsage.class);
            ledgerReader.configure(registryConfig, false);
            List<PricedUsage> ledger = kafka.readAll(topics.get("topic.ledger"), new StringDeserializer(), ledgerReader,
                    EVENTS, Duration.ofSeconds(90)).stream().map(ConsumerRecord::value).toList();
            assertThat(ledger).hasSize(EVENTS);
            assertThat(ledger.stream().mapToLong(PricedUsage::getCostNanos).sum()).isEqualTo(EVENTS * 10_000_000L);
            assertThat(deadLetters(kafka, topics.get("topic.usage-dlq"))).isZero();
            Awaitility.await("ready").atMost(Duration.ofSeconds(60)).until(() -> metering.health().ready());
        } finally {
            registry.close();
        }
    }

    private static String reason(StreamsApp app) {
        HealthStatus health = app.health();
        return health.reason() == null ? "" : health.reason();
    }

    private static long deadLetters(KafkaCluster kafka, String dlq) {
        Map<String, Object> props = new HashMap<>(kafka.consumerProps(kafka.uniqueName("dlq-reader")));
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(dlq).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(dlq, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static SchemaRegistryServer startRegistry(KafkaCluster kafka, String topic, int port) throws IOException {
        return SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(port)
                .kafkaBootstrapServers(kafka.bootstrapServers()).schemasTopic(topic)
                .topicReplicationFactor((short) 1).build());
    }

    private StreamsApp app(KafkaCluster kafka, Map<String, String> topics, String registryUrl) {
        Map<String, String> config = new HashMap<>(MeteringApp.defaults());
        config.putAll(topics);
        config.put("application.id", kafka.uniqueName("metering-outage"));
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", registryUrl);
        config.put("http.host", "127.0.0.1");
        config.put("http.port", "0");
        config.put("state.dir", stateDir.toString());
        config.put("streams.replication.factor", "1");
        return MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, config));
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(KafkaCluster kafka,
            Map<String, Object> registryConfig) {
        AvroSerializer<V> serializer = new AvroSerializer<>();
        serializer.configure(registryConfig, false);
        return new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), serializer);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
