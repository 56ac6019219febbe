package dev.costmeter.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo's looping agent obeys the kill switch through the client, on a real broker and registry
 * (this test was ClientIT's until the agent moved out of the client's main jar into the demo).
 */
class LoopingAgentIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static final ControlKeyPair ISSUER = ControlKeyPair.generate("k1");

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

    @Test
    void shouldStopTheLoopingAgentAtItsNextCallOnceItsTaskIsBlocked() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        String usage = kafka.createUniqueTopic("usage-agent", 1);
        String control = kafka.uniqueTopicName("control");
        kafka.createTopic(control, 3, Map.of("cleanup.policy", "compact"));
        LoopingAgent.Identity who = new LoopingAgent.Identity("acme", "research", "plan@v3", "run-1", "research-agent", "user-7");
        try (UsageReporter reporter = UsageReporter.builder().bootstrapServers(kafka.bootstrapServers())
                .registryUrl(registryUrl).topic(usage).build();
             KillSwitchClient switches = KillSwitchClient.builder().bootstrapServers(kafka.bootstrapServers())
                     .registryUrl(registryUrl).topic(control).verifyKeys(ISSUER.verifyKeys()).build();
             KafkaProducer<String, ControlCommand> issuer = controlProducer(kafka)) {
            assertThat(switches.start()).isTrue();
            AtomicReference<LoopingAgent.Result> result = new AtomicReference<>();
            Thread agent = new Thread(() -> result.set(new LoopingAgent(switches, reporter,
                    new SimulatedModel(Duration.ofMillis(5)), who).run(10_000, Duration.ofMillis(5))), "agent");
            agent.start();
            Awaitility.await("agent made no calls").atMost(Duration.ofSeconds(30))
                    .until(() -> reporter.metrics().sent() >= 5);

            ControlCommand block = block("task:run-1", 1);
            issuer.send(new ProducerRecord<>(control, block.getScope(), block));
            issuer.flush();
            agent.join(30_000);

            assertThat(result.get().blockedBy()).isEqualTo(new Decision.Block("test BLOCK of task:run-1", "task:run-1"));
            assertThat(result.get().calls()).isBetween(5, 9_999);
            assertThat(switches.check("acme", "research", "plan@v3", "run-2", "user-7")).as("other tasks go on")
                    .isSameAs(Decision.ALLOW);
        }
    }

    /** A BLOCK signed by the issuer the client trusts, as the client's own tests sign them. */
    private static ControlCommand block(String scope, long sequence) {
        return CommandSigner.sign(ControlCommand.newBuilder()
                .setScope(scope)
                .setAction(SwitchAction.BLOCK)
                .setFallbackModel(null)
                .setReason("test " + SwitchAction.BLOCK + " of " + scope)
                .setIssuedAt(Instant.parse("2026-11-27T10:00:00Z"))
                .setExpiresAt(null)
                .setIssuer("operator:test")
                .setSequence(sequence)
                .setKeyId("k1")
                .setSignature("")
                .build(), ISSUER.signingKey());
    }

    private static KafkaProducer<String, ControlCommand> controlProducer(KafkaCluster kafka) {
        Map<String, Object> props = kafka.producerProps();
        props.put(RegistryClientConfig.URL, registryUrl);
        AvroSerializer<ControlCommand> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        return new KafkaProducer<>(props, new StringSerializer(), serializer);
    }
}
