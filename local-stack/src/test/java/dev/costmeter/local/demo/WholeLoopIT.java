package dev.costmeter.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.Rejection;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole control loop on a real broker and registry: the example agent loops through the
 * client, metering-stream ledgers its calls, alerting-stream sees the repeated tool call and signs a
 * BLOCK for its task, and the client refuses the agent's next call. Forged and replayed commands
 * and a tombstone published alongside are ignored, and alerting re-asserts the BLOCK over them. The
 * overshoot (calls made after crossing the loop limit) is printed and written to
 * {@code target/whole-loop-overshoot.txt}.
 */
class WholeLoopIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    /** alerting-stream's loop.repeat.limit: the K-th identical tool call blocks the task. */
    private static final int LOOP_LIMIT = 5;
    private static final Duration MODEL_LATENCY = Duration.ofMillis(50);
    private static final Duration THINK_TIME = Duration.ofMillis(50);
    /** alerting's key pair; the client holds only its public half. */
    private static final ControlKeyPair ALERTING = ControlKeyPair.generate("alerting-1");

    @Test
    void shouldBlockALoopingAgentThroughThePipelineAndRefuseItsNextCalls() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        Map<String, String> topics = createTopics(kafka);
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(
                RegistryServerConfig.builder().host("127.0.0.1").port(0).build())) {
            String registryUrl = registry.baseUri().toString();
            StreamsApp metering = MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME,
                    appConfig(kafka, registryUrl, topics, MeteringApp.defaults(), "metering", Map.of()))).start();
            StreamsApp alerting = AlertingApp.create(AppConfig.of(AlertingApp.APP_NAME,
                    appConfig(kafka, registryUrl, topics, AlertingApp.defaults(), "alerting", Map.of(
                            AlertingApp.CONTROL_SIGNING_KEY, ALERTING.signingKeyText(),
                            AlertingApp.CONTROL_VERIFY_KEYS, ALERTING.verifyKeyText(),
                            "loop.repeat.limit", Integer.toString(LOOP_LIMIT))))).start();
            try (UsageReporter reporter = UsageReporter.builder().bootstrapServers(kafka.bootstrapServers())
                    .registryUrl(registryUrl).topic(topics.get("topic.usage")).build();
                 KillSwitchClient switches = KillSwitchClient.builder().bootstrapServers(kafka.bootstrapServers())
                         .registryUrl(registryUrl).topic(topics.get("topic.control")).verifyKeys(ALERTING.verifyKeys())
                         .startupPolicy(StartupPolicy.FAIL_CLOSED).startupTimeout(Duration.ofSeconds(30)).build()) {
                assertThat(switches.start()).isTrue();
                await(Duration.ofSeconds(60), () -> running(metering) && running(alerting),
                        () -> "streams apps not running: " + metering.streams().state() + ", " + alerting.streams().state());
                // Warm the pipeline with ordinary traffic, so the overshoot measures the loop, not start-up.
                ByteArrayOutputStream printed = new ByteArrayOutputStream();
                PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
                ExampleService.runOrdinaryTasks(reporter, switches, new SimulatedModel(Duration.ZERO), "acme", "support", out);
                kafka.readAll(topics.get("topic.ledger"), new StringDeserializer(), deserializer(PricedUsage.class, registryUrl),
                        6, Duration.ofSeconds(60));
                LoopingAgent.Identity who = new LoopingAgent.Identity("acme", "research", "plan@v3", "agent-run-1",
                        "research-agent", "user-7");

                LoopingAgent.Result result = ExampleService.runAgent(reporter, switches, new SimulatedModel(MODEL_LATENCY),
                        who, 600, LOOP_LIMIT, THINK_TIME, out);

                String report = printed.toString(StandardCharsets.UTF_8)
                        + "model latency " + MODEL_LATENCY.toMillis() + " ms, think time " + THINK_TIME.toMillis()
                        + " ms per step; loop.repeat.limit " + LOOP_LIMIT + "\n";
                System.out.print(report);
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "whole-loop-overshoot.txt"), report);
                assertThat(result.blockedBy()).as(report).isInstanceOf(Decision.Block.class);
                assertThat(((Decision.Block) result.blockedBy()).scope()).isEqualTo("task:agent-run-1");
                assertThat(result.calls()).isGreaterThanOrEqualTo(LOOP_LIMIT).isLessThan(600);
                for (int i = 0; i < 3; i++) {
                    assertThat(switches.check("acme", "research", "plan@v3", "agent-run-1", "user-7").allowed())
                            .as("the client refuses the agent's next calls").isFalse();
                }
                assertThat(switches.check("acme", "research", "plan@v3", "agent-run-2", "user-7")).isSameAs(Decision.ALLOW);

                ControlCommand block = alertingBlock(kafka, registryUrl, topics.get("topic.control"));
                publishForgedAndReplayed(kafka, registryUrl, topics.get("topic.control"), block);
                await(Duration.ofSeconds(30), () -> switches.metrics().rejected(Rejection.BAD_SIGNATURE) >= 1
                                && switches.metrics().rejected(Rejection.UNKNOWN_KEY) >= 1
                                && switches.metrics().rejected(Rejection.REPLAYED) >= 1
                                && switches.metrics().rejected(Rejection.TOMBSTONE) >= 1,
                        () -> "forged and replayed commands not all seen: " + switches.metrics());
                assertThat(switches.check("acme", "research", "plan@v3", "agent-run-1", "user-7").allowed())
                        .as("forged and replayed ALLOWs and a tombstone are ignored").isFalse();
                await(Duration.ofSeconds(30), () -> latestIsTheBlock(kafka, registryUrl, topics.get("topic.control"), block),
                        () -> "alerting did not re-assert the BLOCK as the latest record of its scope");

                List<ConsumerRecord<String, PricedUsage>> ledger = kafka.readAll(topics.get("topic.ledger"),
                        new StringDeserializer(), deserializer(PricedUsage.class, registryUrl), 6 + result.calls(), Duration.ofSeconds(60));
                assertThat(ledger.stream().filter(r -> r.value().getTaskId().equals("agent-run-1")))
                        .as("metering ledgered every call the agent made").hasSize(result.calls());
            } finally {
                alerting.close();
                metering.close();
            }
        }
    }

    /** Polls until {@code condition} holds, failing with {@code failure}'s message, computed when it fails. */
    private static void await(Duration timeout, BooleanSupplier condition, Supplier<String> failure) {
        try {
            Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(failure.get() + " (waited " + timeout + ")", e);
        }
    }

    private static boolean running(StreamsApp app) {
        return app.streams().state() == KafkaStreams.State.RUNNING;
    }

    private static Map<String, String> createTopics(KafkaCluster kafka) {
        Map<String, String> topics = new HashMap<>();
        for (TopicNames.Logical logical : TopicNames.Logical.values()) {
            String name = kafka.uniqueTopicName(logical.defaultName());
            boolean compacted = logical == TopicNames.Logical.CONTROL || logical == TopicNames.Logical.BUDGETS
                    || logical == TopicNames.Logical.PRICES;
            kafka.createTopic(name, compacted ? 1 : 2, compacted ? Map.of("cleanup.policy", "compact") : Map.of());
            topics.put(logical.configKey(), name);
        }
        return topics;
    }

    private static Map<String, String> appConfig(KafkaCluster kafka, String registryUrl, Map<String, String> topics,
            Map<String, String> defaults, String name, Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(defaults);
        config.putAll(topics);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", registryUrl);
        config.put("application.id", kafka.uniqueName(name));
        config.put("state.dir", kafka.streamsProps(name).get("state.dir").toString());
        config.put("http.port", "0");
        config.put("replication.factor", Short.toString(kafka.defaultReplicationFactor()));
        config.putAll(overrides);
        return config;
    }

    /** Whether the scope's latest record (what compaction keeps) is the BLOCK, re-asserted with a higher sequence. */
    private static boolean latestIsTheBlock(KafkaCluster kafka, String registryUrl, String control, ControlCommand block) {
        List<ConsumerRecord<String, ControlCommand>> records = kafka.readAll(control, new StringDeserializer(),
                deserializer(ControlCommand.class, registryUrl), 1);
        ControlCommand latest = null;
        for (ConsumerRecord<String, ControlCommand> r : records) {
            if (block.getScope().equals(r.key())) {
                latest = r.value();
            }
        }
        return latest != null && latest.getAction() == SwitchAction.BLOCK && latest.getSequence() > block.getSequence()
                && latest.getIssuedAt().equals(block.getIssuedAt());
    }

    private static ControlCommand alertingBlock(KafkaCluster kafka, String registryUrl, String control) {
        return kafka.readAll(control, new StringDeserializer(), deserializer(ControlCommand.class, registryUrl), 1)
                .stream().map(ConsumerRecord::value)
                .filter(c -> c.getScope().equals("task:agent-run-1") && c.getAction() == SwitchAction.BLOCK)
                .findFirst().orElseThrow();
    }

    /**
     * An ALLOW signed with another key under alerting's key id, one signed with an unknown key, the
     * BLOCK re-sent as is (it changes nothing), an ALLOW signed with alerting's key but an older
     * sequence (what a thief of an old ALLOW could replay) and a tombstone: none may lift the block.
     */
    private static void publishForgedAndReplayed(KafkaCluster kafka, String registryUrl, String control, ControlCommand block) {
        ControlCommand allow = ControlCommand.newBuilder(block).setAction(SwitchAction.ALLOW).setReason("forged")
                .setSequence(block.getSequence() + 1).build();
        Map<String, Object> props = kafka.producerProps();
        AvroSerializer<ControlCommand> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        try (KafkaProducer<String, ControlCommand> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            for (ControlCommand command : List.of(
                    CommandSigner.sign(allow, ControlKeyPair.generate("alerting-1").signingKey()),
                    CommandSigner.sign(allow, ControlKeyPair.generate("k9").signingKey()),
                    block,
                    CommandSigner.sign(ControlCommand.newBuilder(allow).setSequence(block.getSequence() - 1).build(),
                            ALERTING.signingKey()))) {
                producer.send(new ProducerRecord<>(control, command.getScope(), command));
            }
            producer.send(new ProducerRecord<>(control, block.getScope(), null));
            producer.flush();
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> AvroDeserializer<T> deserializer(Class<T> type, String registryUrl) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        return deserializer;
    }
}
