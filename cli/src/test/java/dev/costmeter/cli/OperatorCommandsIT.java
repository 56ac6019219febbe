package dev.costmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.http.RoutedHttpServer;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * budgets, switches and status against a real Kafka broker and the real schema registry storing its
 * schemas in Kafka. "Now" is CostctlRun's fixed clock, so every command of a test is issued in the
 * same millisecond: the sequence can only rise through the last-plus-one rule.
 */
class OperatorCommandsIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    /** The operator's key pair (costctl signs with it) and the pipeline's; services trust both. */
    private static final ControlKeyPair OPERATOR = ControlKeyPair.generate("ops-2026");
    private static final ControlKeyPair PIPELINE = ControlKeyPair.generate("alerting-1");
    private static final VerifyKeys TRUSTED = VerifyKeys.parse("test", OPERATOR.verifyKeyText() + "," + PIPELINE.verifyKeyText());
    private static final long NOW_SEQUENCE = CostctlRun.CLOCK.millis() * 1000;

    private static SchemaRegistryServer registry;

    private final KafkaCluster kafka;
    private String budgets;
    private String control;

    OperatorCommandsIT(KafkaCluster kafka) {
        this.kafka = kafka;
    }

    @BeforeAll
    static void startRegistry(KafkaCluster kafka) throws Exception {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder()
                .port(0)
                .kafkaBootstrapServers(kafka.bootstrapServers())
                .schemasTopic(kafka.uniqueName("_schemas"))
                .topicReplicationFactor(kafka.defaultReplicationFactor())
                .build());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void createTopics() {
        budgets = kafka.uniqueTopicName("llm.budgets.v1");
        control = kafka.uniqueTopicName("llm.control.v1");
        kafka.createTopic(budgets, 3, Map.of("cleanup.policy", "compact"));
        kafka.createTopic(control, 3, Map.of("cleanup.policy", "compact"));
    }

    @Test
    void shouldApplyTheExampleBudgetsOnceListThemExactlyAndDeleteOne() throws Exception {
        String file = "../alerting-stream/src/main/resources/budgets.example.yaml";

        CostctlRun apply = costctl("budgets", "apply", file, "--operator", "it");
        CostctlRun again = costctl("budgets", "apply", file, "--operator", "it");

        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).containsPattern("tenant:acme +added")
                .endsWith("6 added, 0 updated, 0 unchanged; published 6 record(s) to " + budgets + "\n");
        assertThat(again.out()).endsWith("0 added, 0 updated, 6 unchanged; published 0 record(s) to " + budgets + "\n");
        assertThat(budgetRecords()).hasSize(6);

        JsonNode list = Json.mapper().readTree(costctl("--output", "json", "budgets", "list").out()).get("policies");
        assertThat(list).hasSize(6);
        JsonNode acme = list.get(5);
        assertThat(acme.get("scope").asText()).as("sorted by scope").isEqualTo("tenant:acme");
        assertThat(acme.get("limits").get(0).get("limit_nanos").asLong()).isEqualTo(250_000_000_000L);
        assertThat(acme.get("limits").get(1).get("limit_nanos").asLong()).isEqualTo(5_000_000_000_000L);
        assertThat(acme.get("updated_by").asText()).isEqualTo("operator:it");
        CostctlRun table = costctl("budgets", "list");
        assertThat(table.out()).containsPattern("tenant:acme +- +\\$250\\.00 +\\$5000\\.00 +Europe/Berlin +50%,70% +BLOCK")
                .contains("calls 200, retries 20, tokens 2000000, cost $2.00");

        CostctlRun delete = costctl("budgets", "delete", "tenant:acme");

        assertThat(delete.exitCode()).as(delete.err()).isEqualTo(ExitCodes.OK);
        // The topic has 3 partitions: only one key's records are in a defined order.
        assertThat(budgetRecords()).hasSize(7).filteredOn(r -> r.key().equals("tenant:acme")).last()
                .satisfies(r -> assertThat(r.value()).isNull());
        assertThat(costctl("budgets", "list").out()).doesNotContain("tenant:acme");
        CostctlRun missing = costctl("budgets", "delete", "tenant:acme");
        assertThat(missing.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(missing.err()).isEqualTo("costctl: no budget policy for tenant:acme on topic " + budgets
                + "; nothing was published\n");
    }

    @Test
    void shouldPublishSignedSwitchesWhoseSequenceRisesAboveTheTopicsLast() throws Exception {
        CostctlRun block = costctl("switches", "block", "route:chat", "--for", "1h", "--reason", "retry storm",
                "--operator", "alice");
        CostctlRun blockAgain = costctl("switches", "block", "route:chat", "--reason", "still storming", "--operator", "alice");

        assertThat(block.exitCode()).as(block.err()).isEqualTo(ExitCodes.OK);
        assertThat(block.out()).contains("Published BLOCK for route:chat with sequence " + NOW_SEQUENCE + ", signed by key ops-2026");
        List<ControlCommand> commands = controlRecords();
        assertThat(commands).extracting(ControlCommand::getSequence).containsExactly(NOW_SEQUENCE, NOW_SEQUENCE + 1);
        ControlCommand first = commands.get(0);
        assertThat(CommandSigner.verify(first, TRUSTED)).isEqualTo(CommandSigner.Verdict.VALID);
        assertThat(first.getIssuer()).isEqualTo("operator:alice");
        assertThat(first.getAction()).isEqualTo(SwitchAction.BLOCK);
        assertThat(first.getExpiresAt()).isEqualTo(Instant.parse("2026-11-27T13:00:00Z"));
        assertThat(commands.get(1).getExpiresAt()).isNull();
        assertThat(blockAgain.exitCode()).as(blockAgain.err()).isEqualTo(ExitCodes.OK);

        // The pipeline issued a command for another scope far ahead of this clock; costctl goes above it.
        publishSigned("tenant:acme", NOW_SEQUENCE + 500);
        CostctlRun degrade = costctl("switches", "degrade", "tenant:acme", "--model", "gpt-4o-mini", "--reason", "budget",
                "--operator", "alice");
        assertThat(degrade.exitCode()).as(degrade.err()).isEqualTo(ExitCodes.OK);
        assertThat(controlRecords()).filteredOn(c -> c.getScope().equals("tenant:acme")).last().satisfies(c -> {
            assertThat(c.getSequence()).isEqualTo(NOW_SEQUENCE + 501);
            assertThat(c.getFallbackModel()).isEqualTo("gpt-4o-mini");
        });

        CostctlRun list = costctl("switches", "list");
        assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCodes.OK);
        assertThat(list.out()).containsPattern("route:chat +in force +BLOCK +- +still storming +operator:alice +ops-2026 +"
                + "2026-11-27T12:00:00Z +- +" + (NOW_SEQUENCE + 1) + " +this command");
        assertThat(list.out()).containsPattern("tenant:acme +in force +DEGRADE +gpt-4o-mini .* this command");
        assertThat(list.out()).doesNotContain("Refused records");
        CostctlRun stranger = costctl("switches", "list", "--verify-keys", ControlKeyPair.generate("ops-2026").verifyKeyText());
        assertThat(stranger.out()).as("with keys services do not hold, nothing verifies")
                .contains("No switches in force").contains("Refused records on " + control + ": 1 unknown key, 3 bad signature");
    }

    @Test
    void shouldShowWhatServicesEnforceOverForgedReplayedAndTombstoneRecordsAndSayWhy() throws Exception {
        assertThat(costctl("switches", "block", "route:chat", "--reason", "retry storm", "--operator", "alice").exitCode())
                .isEqualTo(ExitCodes.OK);
        ControlCommand oldBlock = controlRecords().get(0);
        assertThat(costctl("switches", "allow", "route:chat", "--reason", "fixed", "--operator", "bob").exitCode())
                .isEqualTo(ExitCodes.OK);
        publishSigned("tenant:acme", NOW_SEQUENCE + 500);
        ControlCommand forgedLift = CommandSigner.sign(ControlCommand.newBuilder(oldBlock).setScope("tenant:acme")
                .setAction(SwitchAction.ALLOW).setSequence(NOW_SEQUENCE + 9_000).build(), ControlKeyPair.generate("ops-2026").signingKey());
        publish("tenant:acme", forgedLift);
        publish("route:chat", oldBlock);
        publish("tenant:acme", null);
        publishRaw("tenant:acme", "\u001b[31mnot Avro".getBytes(StandardCharsets.UTF_8));

        CostctlRun list = costctl("switches", "list", "--all", "--records");

        System.out.print(list.out());
        assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCodes.OK);
        assertThat(list.out()).as("the tenant's block holds over a forged ALLOW, a tombstone and garbage")
                .containsPattern("tenant:acme +in force +BLOCK +- +pipeline +rule:budget_cap +alerting-1 .* malformed \\(undecodable\\)")
                .as("the old BLOCK replayed after the lift changes nothing")
                .containsPattern("route:chat +lifted +ALLOW +- +fixed +operator:bob +ops-2026 .* replayed \\(BLOCK #" + NOW_SEQUENCE
                        + " key ops-2026\\)")
                .containsPattern("tenant:acme +BLOCK #" + (NOW_SEQUENCE + 500) + " key alerting-1 +applied")
                .containsPattern("tenant:acme +ALLOW #" + (NOW_SEQUENCE + 9_000) + " key ops-2026 +bad signature +signature does not match")
                .containsPattern("tenant:acme +tombstone +tombstone +tombstone ignored: BLOCK sequence " + (NOW_SEQUENCE + 500)
                        + " is in force")
                .doesNotContain("\u001b")
                .endsWith("Refused records on " + control + ": 1 malformed, 1 bad signature, 1 replayed, 1 tombstone"
                        + " (--records shows each, with why)\n");

        CostctlRun allow = costctl("switches", "allow", "tenant:acme", "--reason", "cap raised", "--operator", "bob");
        assertThat(allow.exitCode()).as(allow.err()).isEqualTo(ExitCodes.OK);
        assertThat(allow.out()).as("above the newest verified sequence, not the forged one")
                .contains("with sequence " + (NOW_SEQUENCE + 501));
        JsonNode json = Json.mapper().readTree(costctl("--output", "json", "switches", "list").out());
        assertThat(json.get("switches")).isEmpty();
        assertThat(json.get("refused").get("tombstone").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRefuseToPublishWhatServicesWouldNotAccept() {
        ControlKeyPair unlisted = ControlKeyPair.generate("ops-unlisted");

        CostctlRun block = costctl("switches", "block", "route:chat", "--reason", "x", "--operator", "alice",
                "--signing-key", unlisted.signingKeyText());

        assertThat(block.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(block.err()).contains("not published: services would refuse this command (UNKNOWN_KEY)")
                .doesNotContain(unlisted.signingKeyText().substring(13));
        assertThat(controlRecords()).isEmpty();
    }

    @Test
    void shouldReportAllHealthyWithLagAndTheSwitchesInForce() throws Exception {
        publishSigned("route:chat", NOW_SEQUENCE);
        commitGroupAtEnd("it-metering");
        commitGroupAtEnd("it-alerting");
        try (RoutedHttpServer services = new RoutedHttpServer()
                .route("/health/ready", 200, "{}")
                .route("/connectors", 200, "{\"ledger\":{\"status\":{\"connector\":{\"state\":\"RUNNING\"},"
                        + "\"tasks\":[{\"id\":0,\"state\":\"RUNNING\"}]},\"info\":{\"config\":"
                        + "{\"connector.class\":\"dev.costmeter.connect.ledger.LedgerSinkConnector\"}}}}")) {

            CostctlRun status = costctl("status", "--metering-url", services.url(), "--alerting-url", services.url(),
                    "--connect-url", services.url(), "--metering-group", "it-metering", "--alerting-group", "it-alerting");

            assertThat(status.exitCode()).as(status.out() + status.err()).isEqualTo(ExitCodes.OK);
            assertThat(status.out()).containsPattern("kafka +" + kafka.bootstrapServers() + " +ok +cluster .*, 1 broker\\(s\\)")
                    .containsPattern("metering-stream lag +group it-metering +ok +lag 0 record\\(s\\) over 3 partition\\(s\\)")
                    .containsPattern("switches in force +topic " + control + " +ok +1")
                    .containsPattern("postgresql +via ledger sink ledger +ok")
                    .endsWith("All 10 checks healthy.\n");
        }
    }

    private void publishSigned(String scope, long sequence) {
        ControlCommand command = CommandSigner.sign(ControlCommand.newBuilder().setScope(scope).setAction(SwitchAction.BLOCK)
                .setReason("pipeline").setIssuedAt(CostctlRun.CLOCK.instant()).setIssuer("rule:budget_cap").setSequence(sequence)
                .setKeyId("").setSignature("").build(), PIPELINE.signingKey());
        publish(scope, command);
    }

    private void publish(String scope, ControlCommand command) {
        AvroSerializer<ControlCommand> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registryUrl()), false);
        publishRaw(scope, command == null ? null : serializer.serialize(control, command));
    }

    private void publishRaw(String scope, byte[] value) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(control, scope, value));
            producer.flush();
        }
    }

    /** A consumer group that has read the control topic to its end, as a caught-up stream app would have. */
    private void commitGroupAtEnd(String group) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.consumerProps(group), new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(control, 0), new TopicPartition(control, 1),
                    new TopicPartition(control, 2));
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            Map<TopicPartition, OffsetAndMetadata> offsets = new java.util.HashMap<>();
            end.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
            consumer.commitSync(offsets, Duration.ofSeconds(30));
        }
    }

    /** costctl against this test's broker, registry and topics, with the operator's keys in its environment. */
    private CostctlRun costctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", registryUrl(),
                "--topic-budgets", budgets, "--topic-control", control, "--timeout", "30"));
        return CostctlRun.withEnv(Map.of("COSTMETER_CONTROL_SIGNING_KEY", OPERATOR.signingKeyText(),
                "COSTMETER_CONTROL_VERIFY_KEYS", TRUSTED.text()), all.toArray(String[]::new));
    }

    private List<ConsumerRecord<String, BudgetPolicy>> budgetRecords() {
        return kafka.readAll(budgets, new StringDeserializer(), deserializer(BudgetPolicy.class), endOffsetSum(budgets));
    }

    /** Every command on the control topic, by sequence. */
    private List<ControlCommand> controlRecords() {
        List<ControlCommand> commands = new ArrayList<>();
        kafka.readAll(control, new StringDeserializer(), deserializer(ControlCommand.class), endOffsetSum(control)).stream()
                .sorted(java.util.Comparator.comparing((ConsumerRecord<String, ControlCommand> r) -> r.value().getSequence()))
                .forEach(r -> commands.add(r.value()));
        return commands;
    }

    private int endOffsetSum(String topic) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(kafka.consumerProps(kafka.uniqueName("count")),
                new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            return (int) consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private static <T extends org.apache.avro.specific.SpecificRecord> AvroDeserializer<T> deserializer(Class<T> type) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl()), false);
        return deserializer;
    }

    private static String registryUrl() {
        return registry.baseUri().toString();
    }
}
