package dev.costmeter.client;

import static dev.costmeter.client.killswitch.Commands.FORGER;
import static dev.costmeter.client.killswitch.Commands.KEY;
import static dev.costmeter.client.killswitch.Commands.TRUSTED;
import static dev.costmeter.client.killswitch.Commands.allow;
import static dev.costmeter.client.killswitch.Commands.block;
import static dev.costmeter.client.killswitch.Commands.degrade;
import static dev.costmeter.client.killswitch.Commands.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.Rejection;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.client.usage.TokenUsage;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.client.usage.providers.AnthropicUsage;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The reporter and the kill-switch client against a real broker and a real schema registry. */
class ClientIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static SchemaRegistryServer registry;
    private static String registryUrl;

    @BeforeAll
    static void startRegistry() throws IOException {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
        registryUrl = registry.baseUri().toString();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private static KafkaCluster kafka() {
        return KAFKA.cluster();
    }

    @Test
    void shouldDeliverEveryReportedCallKeyedByTaskAndFlushOnClose() {
        String topic = kafka().createUniqueTopic("usage", 3);
        UsageReporter reporter = UsageReporter.builder()
                .bootstrapServers(kafka().bootstrapServers()).registryUrl(registryUrl).topic(topic).build();
        TokenUsage tokens = AnthropicUsage.messages("{\"input_tokens\": 21, \"output_tokens\": 393, "
                + "\"cache_read_input_tokens\": 1200, \"cache_creation_input_tokens\": 0}");
        for (int i = 0; i < 30; i++) {
            reporter.call().tenant("acme").task("task-" + (i % 3), "support-answer").route("chat")
                    .model("anthropic", "claude-sonnet-4-5").usage(tokens).step(i, "search", "h" + i).report();
        }

        reporter.close(Duration.ofSeconds(20));

        assertThat(reporter.metrics().sent()).isEqualTo(30);
        assertThat(reporter.metrics().dropped() + reporter.metrics().sendErrors()).isZero();
        List<ConsumerRecord<String, UsageEvent>> records = kafka().readAll(topic, new StringDeserializer(), usageDeserializer(), 30);
        assertThat(records).hasSize(30).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getTaskId());
            assertThat(r.value().getInputTokens()).isEqualTo(21);
            assertThat(r.value().getCacheReadTokens()).isEqualTo(1200);
        });
        assertThat(records.stream().map(r -> r.value().getEventId()).collect(Collectors.toSet())).hasSize(30);
        for (String task : List.of("task-0", "task-1", "task-2")) {
            assertThat(records.stream().filter(r -> r.key().equals(task)).map(ConsumerRecord::partition).distinct())
                    .as("a task's events share one partition, so they stay in order").hasSize(1);
        }
    }

    @Test
    void shouldCatchUpOnStartThenFollowWhileIgnoringForgedReplayedExpiredAndTombstoneRecords() {
        String topic = controlTopic();
        try (KafkaProducer<String, ControlCommand> producer = controlProducer()) {
            send(producer, block("task:t1", 1));
            send(producer, signed("task:t1", SwitchAction.ALLOW, null, 2, null, FORGER));
            send(producer, signed("route:chat", SwitchAction.BLOCK, null, 1, Instant.now().minusSeconds(5), KEY));
            send(producer, block("tenant:acme", 1));
            producer.send(new ProducerRecord<>(topicOf(), "tenant:acme", null));
            send(producer, allow("tenant:globex", 1));
            producer.send(new ProducerRecord<>(topicOf(), "tenant:globex", null));
            producer.flush();
        }
        Map<String, Decision> changes = new ConcurrentHashMap<>();
        try (KillSwitchClient client = KillSwitchClient.builder()
                .bootstrapServers(kafka().bootstrapServers()).registryUrl(registryUrl).topic(topic)
                .verifyKeys(TRUSTED).startupPolicy(StartupPolicy.FAIL_CLOSED).startupTimeout(Duration.ofSeconds(30))
                .listener(changes::put).build()) {

            assertThat(client.start()).as("caught up within the startup timeout").isTrue();

            assertThat(client.check("acme", "chat", null, "t1", null)).as("the task's block").isInstanceOf(Decision.Block.class);
            assertThat(client.check("acme", "search", null, "t2", null)).as("a tombstone never lifts the tenant's block")
                    .isEqualTo(new Decision.Block("test BLOCK of tenant:acme", "tenant:acme"));
            assertThat(client.check("globex", "chat", null, "t2", null)).as("expired route, lifted then cleaned-up tenant")
                    .isSameAs(Decision.ALLOW);
            assertThat(client.metrics().rejected(Rejection.BAD_SIGNATURE)).isEqualTo(1);
            assertThat(client.metrics().rejected(Rejection.EXPIRED)).isEqualTo(1);
            assertThat(client.metrics().rejected(Rejection.TOMBSTONE)).isEqualTo(1);
            assertThat(client.metrics().cleaned()).isEqualTo(1);

            try (KafkaProducer<String, ControlCommand> producer = controlProducer()) {
                send(producer, allow("task:t1", 3));
                send(producer, block("task:t1", 1));
                send(producer, degrade("route:chat", "claude-haiku-4-5", 2));
                producer.flush();
            }
            // Scopes live on different partitions, so wait for both to be read.
            Eventually.await(Duration.ofSeconds(20),
                    () -> changes.get("route:chat") instanceof Decision.Degrade && client.metrics().rejected(Rejection.REPLAYED) == 1,
                    () -> "changes not all seen: " + client.metrics());

            assertThat(client.check("globex", "chat", null, "t1", null))
                    .isEqualTo(new Decision.Degrade("claude-haiku-4-5", "test DEGRADE of route:chat", "route:chat"));
            assertThat(client.metrics().rejected(Rejection.REPLAYED)).isEqualTo(1);
            assertThat(changes).containsEntry("task:t1", Decision.ALLOW);
            assertThat(client.metrics().lag()).isZero();
            assertThat(client.metrics().lastUpdateAge()).isPresent();
        }
    }

    @Test
    void shouldBlockEveryCallUntilCaughtUpWhenFailingClosed() {
        String topic = kafka().uniqueTopicName("control-late");
        try (KillSwitchClient client = KillSwitchClient.builder()
                .bootstrapServers(kafka().bootstrapServers()).registryUrl(registryUrl).topic(topic)
                .verifyKeys(TRUSTED).startupPolicy(StartupPolicy.FAIL_CLOSED).startupTimeout(Duration.ofMillis(300)).build()) {

            assertThat(client.start()).as("the topic does not exist yet").isFalse();
            assertThat(client.check("acme", "chat", null, "t1", null))
                    .isEqualTo(new Decision.Block("kill-switch state unknown", "*"));

            kafka().createTopic(topic, 1, Map.of("cleanup.policy", "compact"));
            currentControlTopic = topic;
            try (KafkaProducer<String, ControlCommand> producer = controlProducer()) {
                send(producer, block("task:t1", 1));
                send(producer, signed("task:t1", SwitchAction.ALLOW, null, 2, null, FORGER));
                producer.flush();
            }

            // The end offsets may be taken before or after the two records: wait for both to be read.
            Eventually.await(Duration.ofSeconds(30), () -> client.metrics().caughtUp()
                    && client.metrics().rejected(Rejection.BAD_SIGNATURE) == 1, () -> "never caught up: " + client.metrics());
            assertThat(client.check("acme", "chat", null, "t1", null)).as("the verified BLOCK, not the forged ALLOW")
                    .isEqualTo(new Decision.Block("test BLOCK of task:t1", "task:t1"));
            assertThat(client.check("acme", "chat", null, "t2", null)).isSameAs(Decision.ALLOW);
        }
    }

    @Test
    void shouldReadACommandAgainRatherThanSkipItWhileTheRegistryCannotAnswer() throws IOException {
        String schemas = kafka().uniqueName("_schemas");
        RegistryServerConfig.Builder config = RegistryServerConfig.builder().host("127.0.0.1")
                .kafkaBootstrapServers(kafka().bootstrapServers()).schemasTopic(schemas)
                .topicReplicationFactor(kafka().defaultReplicationFactor());
        SchemaRegistryServer first = SchemaRegistryServer.start(config.port(0).build());
        int port = first.port();
        String url = first.baseUri().toString();
        String topic = controlTopic();
        try (KafkaProducer<String, ControlCommand> producer = controlProducer(url)) {
            send(producer, block("task:t1", 1));
            producer.flush();
        }
        first.close();

        try (KillSwitchClient client = KillSwitchClient.builder().bootstrapServers(kafka().bootstrapServers())
                .registryUrl(url).topic(topic).verifyKeys(TRUSTED).startupPolicy(StartupPolicy.FAIL_CLOSED)
                .startupTimeout(Duration.ofSeconds(3)).build()) {

            assertThat(client.start()).as("the BLOCK cannot be decoded while the registry is down").isFalse();
            assertThat(client.check("acme", "chat", null, "t1", null)).isEqualTo(new Decision.Block("kill-switch state unknown", "*"));
            assertThat(client.metrics().rejected(Rejection.MALFORMED)).as("not taken for garbage").isZero();

            try (SchemaRegistryServer again = SchemaRegistryServer.start(config.port(port).build())) {
                Awaitility.await("the BLOCK read once the registry answers").atMost(Duration.ofSeconds(60))
                        .until(() -> client.metrics().caughtUp());
                assertThat(client.check("acme", "chat", null, "t1", null)).isEqualTo(new Decision.Block("test BLOCK of task:t1", "task:t1"));
            }
        }
    }

    @Test
    void shouldAllowEveryCallUntilCaughtUpWhenFailingOpen() {
        String topic = kafka().uniqueTopicName("control-open");
        try (KillSwitchClient client = KillSwitchClient.builder()
                .bootstrapServers(kafka().bootstrapServers()).registryUrl(registryUrl).topic(topic)
                .verifyKeys(TRUSTED).startupTimeout(Duration.ofMillis(300)).build()) {

            assertThat(client.start()).isFalse();
            assertThat(client.check("acme", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
        }
    }

    private String currentControlTopic;

    private String controlTopic() {
        currentControlTopic = kafka().uniqueTopicName("control");
        kafka().createTopic(currentControlTopic, 3, Map.of("cleanup.policy", "compact"));
        return currentControlTopic;
    }

    private String topicOf() {
        return currentControlTopic;
    }

    private void send(KafkaProducer<String, ControlCommand> producer, ControlCommand command) {
        producer.send(new ProducerRecord<>(currentControlTopic, command.getScope(), command));
    }

    private static KafkaProducer<String, ControlCommand> controlProducer() {
        return controlProducer(registryUrl);
    }

    private static KafkaProducer<String, ControlCommand> controlProducer(String registryUrl) {
        Map<String, Object> props = kafka().producerProps();
        props.put(RegistryClientConfig.URL, registryUrl);
        AvroSerializer<ControlCommand> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        return new KafkaProducer<>(props, new StringSerializer(), serializer);
    }

    private static AvroDeserializer<UsageEvent> usageDeserializer() {
        AvroDeserializer<UsageEvent> deserializer = new AvroDeserializer<>(UsageEvent.class);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        return deserializer;
    }
}
