package dev.costmeter.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.Rejection;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #15's done-when for the kill switch, on a real broker: of more than a thousand hostile
 * control records of every kind (forged under a trusted key id, unknown key, altered field,
 * HMAC-era, replayed older and newest, expired, tombstone, undecodable, key not the scope) none is
 * obeyed, by a client that reads them as they come, by the same client after a restart (with its
 * state file), by a fresh client after compaction, and, while alerting-stream is down and
 * compaction leaves an old replayed ALLOW as a scope's only record, by the restarted client.
 *
 * <p>"Obeyed" is measured on the clients themselves: every switch change they report
 * ({@link dev.costmeter.client.killswitch.SwitchListener}) and a check of every scope after each
 * phase are compared with the truth the legitimate issuer set.
 */
class HostileControlIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker()
            // the log cleaner looks for work every 200 ms instead of 15 s, so the test can watch compaction
            .withBrokerConfig("log.cleaner.backoff.ms", "200");

    private static final ControlKeyPair ALERTING = ControlKeyPair.generate("alerting-1");
    private static final ControlKeyPair OPERATOR = ControlKeyPair.generate("operator-1");
    private static final VerifyKeys TRUSTED = VerifyKeys.parse("control.verify.keys",
            ALERTING.verifyKeyText() + "," + OPERATOR.verifyKeyText());
    /** Another private key under the operator's trusted id: an attacker's best forgery. */
    private static final SigningKey FORGER = ControlKeyPair.generate("operator-1").signingKey();
    private static final SigningKey STRANGER = ControlKeyPair.generate("k9").signingKey();
    private static final int SCOPES = 40;
    private static final int HOSTILE = 1_210;
    private static final Instant NOW = Instant.now();

    /** The kinds of hostile record, sent round-robin. */
    enum Kind {
        FORGED_SAME_KEY_ID, UNKNOWN_KEY, ALTERED_ACTION, ALTERED_SCOPE, HMAC_ERA, REPLAYED_OLDER, REPLAYED_NEWEST,
        EXPIRED, TOMBSTONE, UNDECODABLE, KEY_NOT_THE_SCOPE
    }

    @TempDir
    Path dir;

    private KafkaCluster kafka;
    private String registryUrl;
    private String control;
    private final Map<String, ControlCommand> truth = new LinkedHashMap<>();
    private final Map<String, ControlCommand> oldAllow = new HashMap<>();
    private final Map<String, ControlCommand> oldBlock = new HashMap<>();
    private final List<String> obeyed = new CopyOnWriteArrayList<>();
    private final Set<String> sentinelsSeen = ConcurrentHashMap.newKeySet();

    @Test
    void shouldObeyNoneOfMoreThanAThousandHostileCommandsAcrossRestartsAndCompaction() throws Exception {
        kafka = KAFKA.cluster();
        Map<String, String> topics = createTopics();
        control = topics.get("topic.control");
        try (SchemaRegistryServer registry = SchemaRegistryServer.start(
                RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProps(), new StringSerializer(),
                     new ByteArraySerializer())) {
            registryUrl = registry.baseUri().toString();
            AvroSerializer<ControlCommand> avro = new AvroSerializer<>();
            avro.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
            StreamsApp alerting = startAlerting(topics);
            Path stateFile = dir.resolve("service-a/kill-switch.state");

            // The legitimate history, signed by the operator: every scope allowed at 100, blocked at 200,
            // and every other scope lifted again at 300.
            for (int i = 0; i < SCOPES; i++) {
                String scope = switch (i % 3) {
                    case 0 -> "tenant:tenant-" + i;
                    case 1 -> "route:route-" + i;
                    default -> "task:task-" + i;
                };
                oldAllow.put(scope, legit(scope, SwitchAction.ALLOW, 100, NOW.minus(Duration.ofHours(3)), null));
                oldBlock.put(scope, legit(scope, i % 5 == 4 ? SwitchAction.DEGRADE : SwitchAction.BLOCK, 200,
                        NOW.minus(Duration.ofHours(2)), null));
                send(producer, avro, scope, oldAllow.get(scope));
                send(producer, avro, scope, oldBlock.get(scope));
                truth.put(scope, oldBlock.get(scope));
                if (i % 2 == 1) {
                    ControlCommand lift = legit(scope, SwitchAction.ALLOW, 300, NOW.minus(Duration.ofHours(1)), null);
                    send(producer, avro, scope, lift);
                    truth.put(scope, lift);
                }
            }
            producer.flush();

            // Phase 1: service A (with a state file) follows the topic while every kind of hostile record arrives.
            AtomicBoolean watching = new AtomicBoolean(true);
            KillSwitchClient a = client(stateFile, "A", watching);
            assertThat(a.start()).isTrue();
            assertTruth(a, "A after catching up");
            Map<Kind, Integer> sent = sendHostile(producer, avro, HOSTILE);
            sendSentinels(producer, avro, "after-hostile");
            Awaitility.await("A read every hostile record").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> sentinelsSeen.contains("A|after-hostile-0") && sentinelsSeen.contains("A|after-hostile-1"));
            assertThat(seen(a)).as("hostile records A read and refused (the newest command replayed as is changes nothing): %s, sent %s",
                    a.metrics(), sent)
                    .isGreaterThanOrEqualTo(HOSTILE - sent.get(Kind.REPLAYED_NEWEST));
            assertThat(obeyed).as("switch changes A reported that differ from the truth").isEmpty();
            assertTruth(a, "A after " + HOSTILE + " hostile records");
            Map<Rejection, Long> rejectedByA = a.metrics().rejected();
            a.close();

            // Phase 2: compaction removes the hostile records; alerting's re-assertions are what is left.
            long written = recordCount();
            compactEagerly();
            forceCompaction(producer, records -> records.size() >= written / 4 ? records.size() + " of " + written + " records left"
                    : latestRecordsAloneMisleadOn(records));
            KillSwitchClient restarted = client(stateFile, "A restarted", watching);
            KillSwitchClient fresh = client(null, "B fresh", watching);
            assertThat(restarted.start()).isTrue();
            assertThat(fresh.start()).isTrue();
            assertTruth(restarted, "A restarted after compaction");
            assertTruth(fresh, "a fresh client after compaction");
            restarted.close();
            fresh.close();

            // Phase 3: alerting is down; an old, validly signed ALLOW is replayed over blocked scopes
            // and compaction leaves it as their only record. A restarted client keeps the blocks.
            alerting.close();
            List<String> blocked = truth.keySet().stream().filter(s -> truth.get(s).getAction() != SwitchAction.ALLOW).toList();
            for (String scope : blocked) {
                send(producer, avro, scope, oldAllow.get(scope));
            }
            producer.flush();
            forceCompaction(producer, records -> blocked.stream().filter(scope -> !onlyRecordIs(records, scope, oldAllow.get(scope)))
                    .findFirst().map(scope -> scope + " still has " + records.stream().filter(r -> scope.equals(r.key()))
                            .map(r -> r.offset() + ":" + (r.value() == null ? "null" : r.value().getAction() + "@" + r.value().getSequence()))
                            .toList()).orElse(null));
            KillSwitchClient afterOutage = client(stateFile, "A restarted during the outage", watching);
            assertThat(afterOutage.start()).isTrue();
            Awaitility.await("A read the replayed ALLOWs").atMost(Duration.ofSeconds(60))
                    .until(() -> afterOutage.metrics().rejected(Rejection.REPLAYED) >= blocked.size());
            assertTruth(afterOutage, "A restarted while alerting was down, the blocks compacted away");

            // A client with no state of its own cannot tell the old ALLOW from a lift (documented in
            // client/README.md): it is wrong until alerting is back and re-asserts the blocks.
            watching.set(false);
            KillSwitchClient amnesiac = client(null, "C without state", watching);
            assertThat(amnesiac.start()).isTrue();
            assertThat(blocked).as("the window a client without a state file has").allMatch(scope -> check(amnesiac, scope).allowed());
            StreamsApp back = startAlerting(topics);
            Awaitility.await("alerting re-asserts the blocks over the replays").atMost(Duration.ofSeconds(120))
                    .pollInterval(Duration.ofMillis(500)).until(() -> matchesTruth(amnesiac));
            assertTruth(afterOutage, "A once alerting is back");
            assertThat(obeyed).as("switch changes A and B reported that differ from the truth").isEmpty();

            int total = sent.values().stream().mapToInt(Integer::intValue).sum() + blocked.size();
            System.out.printf("Hostile control records: %d (%s, then %d old ALLOWs replayed during an alerting outage); "
                    + "obeyed: %d. Rejected by service A in phase 1: %s%n", total, sent, blocked.size(), obeyed.size(), rejectedByA);
            afterOutage.close();
            amnesiac.close();
            back.close();
        }
    }

    /**
     * A service's client. A switch change it reports once caught up (before that, {@code check}
     * answers by the startup policy, so a change read on the way is not visible) that differs from
     * the truth counts as obeyed.
     */
    private KillSwitchClient client(Path stateFile, String name, AtomicBoolean watching) {
        KillSwitchClient[] self = new KillSwitchClient[1];
        KillSwitchClient.Builder builder = KillSwitchClient.builder().bootstrapServers(kafka.bootstrapServers())
                .registryUrl(registryUrl).topic(control).verifyKeys(TRUSTED).startupPolicy(StartupPolicy.FAIL_CLOSED)
                .startupTimeout(Duration.ofSeconds(60)).property(ConsumerConfig.CLIENT_ID_CONFIG, "service-" + name.replace(' ', '-'))
                .listener((scope, decision) -> {
                    if (scope.startsWith("tenant:sentinel-")) {
                        sentinelsSeen.add(name + "|" + scope.substring("tenant:sentinel-".length()));
                    } else if (watching.get() && self[0] != null && self[0].metrics().caughtUp() && truth.containsKey(scope)
                            && !sameSwitch(decision, expected(scope))) {
                        obeyed.add(name + ": " + scope + " -> " + decision);
                    }
                });
        self[0] = (stateFile == null ? builder : builder.stateFile(stateFile)).build();
        return self[0];
    }

    /** A legitimate ALLOW on each partition: once a client has read both, it has read everything sent before. */
    private void sendSentinels(KafkaProducer<String, byte[]> producer, AvroSerializer<ControlCommand> avro, String name) {
        for (int partition = 0; partition < 2; partition++) {
            String scope = "tenant:sentinel-" + name + "-" + partition;
            producer.send(new ProducerRecord<>(control, partition, scope,
                    bytes(avro, legit(scope, SwitchAction.ALLOW, 1, NOW, null))));
        }
        producer.flush();
    }

    /** Records a client read that changed nothing it enforces (every hostile one should be among them). */
    private static long seen(KillSwitchClient client) {
        return client.metrics().rejected().values().stream().mapToLong(Long::longValue).sum() + client.metrics().cleaned();
    }

    private Map<Kind, Integer> sendHostile(KafkaProducer<String, byte[]> producer, AvroSerializer<ControlCommand> avro, int count) {
        Random random = new Random(20261206L);
        List<String> scopes = new ArrayList<>(truth.keySet());
        Map<Kind, Integer> sent = new EnumMap<>(Kind.class);
        for (int k = 0; k < count; k++) {
            Kind kind = Kind.values()[k % Kind.values().length];
            String scope = scopes.get(random.nextInt(scopes.size()));
            ControlCommand newest = truth.get(scope);
            boolean lifted = newest.getAction() == SwitchAction.ALLOW;
            SwitchAction opposite = lifted ? SwitchAction.BLOCK : SwitchAction.ALLOW;
            long sequence = 10_000_000L + k;
            byte[] value = switch (kind) {
                case FORGED_SAME_KEY_ID -> bytes(avro, CommandSigner.sign(unsigned(scope, opposite, sequence, NOW, null), FORGER));
                case UNKNOWN_KEY -> bytes(avro, CommandSigner.sign(unsigned(scope, opposite, sequence, NOW, null), STRANGER));
                case ALTERED_ACTION -> bytes(avro, ControlCommand.newBuilder(newest).setAction(opposite).setSequence(sequence).build());
                case ALTERED_SCOPE -> bytes(avro, ControlCommand.newBuilder(otherState(scopes, lifted)).setScope(scope).build());
                case HMAC_ERA -> bytes(avro, ControlCommand.newBuilder(unsigned(scope, opposite, sequence, NOW, null))
                        .setKeyId("operator-1").setAlgorithm("HMAC-SHA256")
                        .setSignature(Base64.getEncoder().encodeToString(new byte[32])).build());
                case REPLAYED_OLDER -> bytes(avro, lifted ? oldBlock.get(scope) : oldAllow.get(scope));
                case REPLAYED_NEWEST -> bytes(avro, newest);
                // On a lifted scope: a validly signed, newer BLOCK delivered after it expired. On a
                // blocked one: an ALLOW captured with an expiry, replayed (older, and expired).
                case EXPIRED -> bytes(avro, lifted
                        ? legit(scope, SwitchAction.BLOCK, sequence, NOW.minus(Duration.ofMinutes(30)), NOW.minus(Duration.ofMinutes(10)))
                        : legit(scope, SwitchAction.BLOCK, 150, NOW.minus(Duration.ofHours(3)), NOW.minus(Duration.ofHours(2))));
                case TOMBSTONE -> null;
                case UNDECODABLE -> ("not a control command " + k).getBytes(StandardCharsets.UTF_8);
                case KEY_NOT_THE_SCOPE -> bytes(avro, legit("tenant:elsewhere-" + k, opposite, sequence, NOW, null));
            };
            producer.send(new ProducerRecord<>(control, scope, value));
            sent.merge(kind, 1, Integer::sum);
        }
        producer.flush();
        return sent;
    }

    /** The newest command of a scope in the other state: a lift to graft onto a blocked scope, or a block. */
    private ControlCommand otherState(List<String> scopes, boolean lifted) {
        return scopes.stream().map(truth::get).filter(c -> (c.getAction() == SwitchAction.ALLOW) != lifted).findFirst().orElseThrow();
    }

    private static ControlCommand legit(String scope, SwitchAction action, long sequence, Instant issuedAt, Instant expiresAt) {
        return CommandSigner.sign(unsigned(scope, action, sequence, issuedAt, expiresAt), OPERATOR.signingKey());
    }

    private static ControlCommand unsigned(String scope, SwitchAction action, long sequence, Instant issuedAt, Instant expiresAt) {
        return ControlCommand.newBuilder().setScope(scope).setAction(action)
                .setFallbackModel(action == SwitchAction.DEGRADE ? "small-model" : null)
                .setReason(action + " of " + scope + " at " + sequence).setIssuedAt(issuedAt).setExpiresAt(expiresAt)
                .setIssuer("operator:test").setSequence(sequence).setKeyId("").setSignature("").build();
    }

    private void send(KafkaProducer<String, byte[]> producer, AvroSerializer<ControlCommand> avro, String scope, ControlCommand c) {
        producer.send(new ProducerRecord<>(control, scope, bytes(avro, c)));
    }

    private byte[] bytes(AvroSerializer<ControlCommand> avro, ControlCommand command) {
        return avro.serialize(control, command);
    }

    private Decision expected(String scope) {
        ControlCommand c = truth.get(scope);
        return switch (c.getAction()) {
            case ALLOW -> Decision.ALLOW;
            case DEGRADE -> new Decision.Degrade(c.getFallbackModel(), c.getReason(), scope);
            case BLOCK -> new Decision.Block(c.getReason(), scope);
        };
    }

    private static boolean sameSwitch(Decision actual, Decision expected) {
        return actual.getClass() == expected.getClass() && actual.allowed() == expected.allowed();
    }

    private static Decision check(KillSwitchClient client, String scope) {
        String id = scope.substring(scope.indexOf(':') + 1);
        return switch (scope.substring(0, scope.indexOf(':'))) {
            case "tenant" -> client.check(id, null, null, null, null);
            case "route" -> client.check(null, id, null, null, null);
            default -> client.check(null, null, null, id, null);
        };
    }

    private boolean matchesTruth(KillSwitchClient client) {
        return truth.keySet().stream().allMatch(scope -> sameSwitch(check(client, scope), expected(scope)));
    }

    private void assertTruth(KillSwitchClient client, String when) {
        for (String scope : truth.keySet()) {
            assertThat(check(client, scope)).as("%s: %s", when, scope).satisfies(d -> assertThat(sameSwitch(d, expected(scope)))
                    .as("%s is %s, expected %s", scope, d, expected(scope)).isTrue());
        }
    }

    // --- the topic itself ---

    /**
     * Keeps appending a harmless record to each partition (rolling segments) until {@code problem}
     * finds nothing wrong with the topic's records.
     */
    private void forceCompaction(KafkaProducer<String, byte[]> producer,
            java.util.function.Function<List<ConsumerRecord<String, ControlCommand>>, String> problem) {
        java.util.concurrent.atomic.AtomicReference<String> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            Awaitility.await("compaction of " + control).atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        for (int partition = 0; partition < 2; partition++) {
                            producer.send(new ProducerRecord<>(control, partition, "tenant:compaction-marker-" + partition, null));
                        }
                        producer.flush();
                        last.set(problem.apply(readToEnd()));
                        return last.get() == null;
                    });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("compaction never got there: " + last.get(), e);
        }
    }

    /**
     * From now on compaction is as eager as a broker allows. Not from the start: compaction would
     * then remove hostile records before service A reads them, and phase 1 could not count them.
     */
    private void compactEagerly() throws Exception {
        ConfigResource topic =
                new ConfigResource(ConfigResource.Type.TOPIC, control);
        List<AlterConfigOp> ops = new ArrayList<>();
        Map.of("segment.ms", "100", "min.cleanable.dirty.ratio", "0.001", "delete.retention.ms", "100",
                "min.compaction.lag.ms", "0").forEach((key, value) -> ops.add(new AlterConfigOp(
                        new ConfigEntry(key, value), AlterConfigOp.OpType.SET)));
        kafka.admin().incrementalAlterConfigs(Map.of(topic, ops)).all().get();
    }

    private long recordCount() {
        return readToEnd().size();
    }

    /** A scope on which a reader that knows nothing and sees only each scope's latest record would not obey the truth. */
    private String latestRecordsAloneMisleadOn(List<ConsumerRecord<String, ControlCommand>> records) {
        Map<String, ControlCommand> latest = new HashMap<>();
        for (ConsumerRecord<String, ControlCommand> r : records) {
            latest.put(r.key(), r.value());
        }
        for (String scope : truth.keySet()) {
            ControlCommand c = latest.get(scope);
            boolean verified = c != null && CommandSigner.verify(c, TRUSTED) == CommandSigner.Verdict.VALID && c.getScope().equals(scope);
            boolean blocks = verified && c.getAction() != SwitchAction.ALLOW
                    && (c.getExpiresAt() == null || c.getExpiresAt().isAfter(Instant.now()));
            if (blocks != (truth.get(scope).getAction() != SwitchAction.ALLOW)) {
                return scope + ": latest record " + c;
            }
        }
        return null;
    }

    private static boolean onlyRecordIs(List<ConsumerRecord<String, ControlCommand>> records, String scope, ControlCommand command) {
        List<ControlCommand> values = records.stream().filter(r -> scope.equals(r.key())).map(ConsumerRecord::value).toList();
        return values.size() == 1 && command.equals(values.get(0));
    }

    /** Every committed record of the control topic now; undecodable values read as null. */
    private List<ConsumerRecord<String, ControlCommand>> readToEnd() {
        AvroDeserializer<ControlCommand> avro = new AvroDeserializer<>(ControlCommand.class);
        avro.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        Map<String, Object> props = new HashMap<>(kafka.consumerProps(kafka.uniqueName("reader")));
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, ControlCommand>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(control).stream()
                    .map(p -> new TopicPartition(control, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ControlCommand value = null;
                    try {
                        value = r.value() == null ? null : avro.deserialize(control, r.value());
                    } catch (RuntimeException undecodable) {
                        value = null;
                    }
                    records.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), value));
                }
            }
        }
        return records;
    }

    private StreamsApp startAlerting(Map<String, String> topics) {
        Map<String, String> config = new HashMap<>(AlertingApp.defaults());
        config.putAll(topics);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", registryUrl);
        config.put("application.id", "alerting-hostile");
        config.put("state.dir", dir.resolve("alerting-state").toString());
        config.put("http.port", "0");
        config.put("replication.factor", Short.toString(kafka.defaultReplicationFactor()));
        config.put(AlertingApp.CONTROL_SIGNING_KEY, ALERTING.signingKeyText());
        config.put(AlertingApp.CONTROL_VERIFY_KEYS, TRUSTED.text());
        StreamsApp app = AlertingApp.create(AppConfig.of(AlertingApp.APP_NAME, config)).start();
        Awaitility.await("alerting running").atMost(Duration.ofSeconds(90))
                .until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
        return app;
    }

    private Map<String, String> createTopics() {
        Map<String, String> topics = new HashMap<>();
        for (TopicNames.Logical logical : TopicNames.Logical.values()) {
            String name = kafka.uniqueTopicName(logical.defaultName());
            Map<String, String> configs = Map.of();
            if (logical == TopicNames.Logical.CONTROL || logical == TopicNames.Logical.BUDGETS
                    || logical == TopicNames.Logical.PRICES) {
                configs = Map.of("cleanup.policy", "compact");
            }
            kafka.createTopic(name, logical == TopicNames.Logical.CONTROL ? 2 : 1, configs);
            topics.put(logical.configKey(), name);
        }
        return topics;
    }
}
