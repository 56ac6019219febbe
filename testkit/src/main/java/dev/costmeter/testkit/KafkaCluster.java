package dev.costmeter.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Kafka cluster shared by the tests of one class, handed out by
 * {@link KafkaClusterExtension}. Tests never collide on names when they take them from
 * {@link #uniqueName(String)}.
 *
 * <p>Brokers refuse to auto-create topics: create every topic with {@link #createTopic} or
 * {@link #createTopics} first, as production does. Helpers throw unchecked exceptions and, where
 * they wait, fail with an {@link AssertionError} that says what was still missing.
 *
 * <p>Do not close {@link #admin()}; the extension closes it with the cluster.
 */
public final class KafkaCluster {

    /** Where the cluster runs; see {@link KafkaClusterExtension} for how it is chosen. */
    public enum Mode {
        /** Kafka's own test kit in this JVM: combined KRaft nodes, brokers can be stopped. */
        IN_JVM,
        /** One broker in an {@code apache/kafka} container, when asked for and Docker answers. */
        TESTCONTAINERS,
        /** A cluster named by {@code KAFKA_BOOTSTRAP_SERVERS}; never started or stopped here. */
        EXTERNAL
    }

    /** How long helpers wait for the cluster unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final int MAX_RECORDS_IN_FAILURE = 10;
    // Names stay unique across test runs against one external cluster, not just within a JVM.
    private static final String RUN_ID = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
    private static final AtomicLong NAME_SEQUENCE = new AtomicLong();

    private static final Logger LOG = LoggerFactory.getLogger(KafkaCluster.class);

    private final KafkaBackend backend;
    private final Admin admin;
    private final Set<Integer> stoppedBrokers = new TreeSet<>();
    private Path streamsStateRoot;

    KafkaCluster(KafkaBackend backend) {
        this.backend = backend;
        this.admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, backend.bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG, "costmeter-testkit-admin"));
    }

    /** Where this cluster runs. */
    public Mode mode() {
        return backend.mode();
    }

    /** The {@code bootstrap.servers} value for clients of this cluster. */
    public String bootstrapServers() {
        return backend.bootstrapServers();
    }

    /** Ids of the cluster's brokers, including stopped ones. */
    public List<Integer> brokerIds() {
        return List.copyOf(backend.brokerIds());
    }

    /** Number of brokers the cluster has, including stopped ones. */
    public int brokerCount() {
        return backend.brokerIds().size();
    }

    /** Replication factor {@link #createTopic} uses: the broker count, at most 3. */
    public short defaultReplicationFactor() {
        return BrokerConfigs.replicationFactor(brokerCount());
    }

    /** An admin client shared by the class's tests; closed by the extension, never by tests. */
    public Admin admin() {
        return admin;
    }

    /**
     * A name no other call in this JVM, nor any other test run, returns: {@code prefix} followed by
     * a run id and a counter. Use it for topics, consumer groups, transactional and application ids
     * so tests sharing the cluster never see each other's data.
     */
    public String uniqueName(String prefix) {
        String safePrefix = prefix.replaceAll("[^a-zA-Z0-9._-]", "-");
        return safePrefix + "-" + RUN_ID + "-" + NAME_SEQUENCE.incrementAndGet();
    }

    /** Same as {@link #uniqueName(String)}; reads better where the name is a topic's. */
    public String uniqueTopicName(String prefix) {
        return uniqueName(prefix);
    }

    /** Creates a topic named {@link #uniqueTopicName(String) uniquely} and returns its name. */
    public String createUniqueTopic(String prefix, int partitions) {
        String name = uniqueTopicName(prefix);
        createTopic(name, partitions);
        return name;
    }

    /** Creates a topic with {@link #defaultReplicationFactor()} and waits until every partition has a leader. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /**
     * Creates a topic with {@link #defaultReplicationFactor()} and the given topic configs (such as
     * {@code min.insync.replicas} or {@code cleanup.policy}), and waits until every partition has a
     * leader.
     */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        createTopics(new NewTopic(name, partitions, defaultReplicationFactor()).configs(configs));
    }

    /** Creates topics exactly as described and waits until every partition has a leader. */
    public void createTopics(NewTopic... topics) {
        createTopics(Arrays.asList(topics));
    }

    /** Creates topics exactly as described and waits until every partition has a leader. */
    public void createTopics(Collection<NewTopic> topics) {
        get(admin.createTopics(topics).all(), "create topics " + names(topics));
        List<String> names = names(topics);
        Await.until(DEFAULT_TIMEOUT, () -> everyPartitionHasALeader(names),
                () -> "Partitions of " + names + " still lack a leader");
    }

    /**
     * Producer settings for this cluster: {@code acks=all} and idempotence on. A fresh, mutable map;
     * add a {@code transactional.id} for transactions.
     */
    public Map<String, Object> producerProps() {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return props;
    }

    /**
     * Consumer settings for this cluster: reading from the earliest offset, committed records only
     * ({@code isolation.level=read_committed}), no auto-commit. A fresh, mutable map.
     */
    public Map<String, Object> consumerProps(String groupId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return props;
    }

    /**
     * Kafka Streams settings tied to this cluster: application id, bootstrap servers,
     * {@code exactly_once_v2}, internal topics replicated like {@link #createTopic} does, and a
     * fresh state directory deleted with the cluster. The application's own configuration should
     * be applied over these. A fresh, mutable map.
     */
    public Map<String, Object> streamsProps(String applicationId) {
        // Keys spelled out: the testkit does not depend on kafka-streams.
        Map<String, Object> props = new HashMap<>();
        props.put("application.id", applicationId);
        props.put("bootstrap.servers", bootstrapServers());
        props.put("processing.guarantee", "exactly_once_v2");
        props.put("replication.factor", (int) defaultReplicationFactor());
        props.put("state.dir", newStreamsStateDir(applicationId).toString());
        return props;
    }

    /** {@link #readAll(String, Deserializer, Deserializer, int, Duration)} with {@link #DEFAULT_TIMEOUT}. */
    public <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, int expectedCount) {
        return readAll(topic, keyDeserializer, valueDeserializer, expectedCount, DEFAULT_TIMEOUT);
    }

    /**
     * Reads {@code topic} from the beginning of every partition, committed records only, until at
     * least {@code expectedCount} records arrived, and returns them (each partition's in offset
     * order). Uses no consumer group and commits nothing. Fails with an {@link AssertionError}
     * naming the topic and what was read if the count is not reached within {@code timeout}.
     * The deserializers are not closed.
     */
    public <K, V> List<ConsumerRecord<K, V>> readAll(String topic, Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer, int expectedCount, Duration timeout) {
        List<TopicPartition> partitions = partitionsOf(topic);
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, uniqueName("costmeter-testkit-reader"));
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(props,
                new NonClosing<>(keyDeserializer), new NonClosing<>(valueDeserializer))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (records.size() < expectedCount) {
                long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remainingMillis <= 0) {
                    throw new AssertionError(describeShortfall(topic, expectedCount, timeout, records));
                }
                consumer.poll(Duration.ofMillis(Math.min(remainingMillis, 200))).forEach(records::add);
            }
        }
        return records;
    }

    /**
     * Shuts one broker down (a controlled shutdown: its partition leaderships move first). Only the
     * in-JVM mode can; in a combined node the KRaft controller keeps running, so the quorum stays.
     *
     * @throws UnsupportedOperationException in the external and Testcontainers modes
     */
    public void stopBroker(int brokerId) {
        requireBrokerControl();
        long startedAt = System.nanoTime();
        backend.stopBroker(brokerId);
        LOG.info("Broker {} stopped in {} ms", brokerId, Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        synchronized (stoppedBrokers) {
            stoppedBrokers.add(brokerId);
        }
    }

    /**
     * Starts a broker stopped with {@link #stopBroker(int)} again on the same port, and waits until
     * it is running and registered. It then catches up as a follower; {@link #awaitFullyReplicated}
     * waits for that.
     *
     * <p>Takes about {@code broker.session.timeout.ms} (9 s by default): the controller refuses the
     * new registration until the stopped broker's session has expired. A test class doing many
     * restarts can shorten it with {@link KafkaClusterExtension#withBrokerConfig}.
     */
    public void restartBroker(int brokerId) {
        requireBrokerControl();
        long startedAt = System.nanoTime();
        backend.startBroker(brokerId);
        // describeCluster lists only unfenced brokers: registered and caught up with the metadata log.
        Await.until(DEFAULT_TIMEOUT, () -> isRegistered(brokerId),
                () -> "Broker " + brokerId + " did not come back after a restart");
        LOG.info("Broker {} restarted in {} ms", brokerId, Duration.ofNanos(System.nanoTime() - startedAt).toMillis());
        synchronized (stoppedBrokers) {
            stoppedBrokers.remove(brokerId);
        }
    }

    /**
     * Waits until every partition of the topics has all its replicas in sync, as after a broker
     * restart once it has caught up.
     */
    public void awaitFullyReplicated(String... topics) {
        List<String> names = List.of(topics);
        Await.until(DEFAULT_TIMEOUT, () -> admin.describeTopics(names).allTopicNames()
                        .get(5, TimeUnit.SECONDS).values().stream()
                        .flatMap(description -> description.partitions().stream())
                        .allMatch(partition -> partition.isr().size() == partition.replicas().size()),
                () -> "Replicas of " + names + " are still out of sync");
    }

    /** Restarts every broker stopped with {@link #stopBroker(int)}; handy in {@code @AfterEach}. */
    public void restartStoppedBrokers() {
        List<Integer> stopped;
        synchronized (stoppedBrokers) {
            stopped = List.copyOf(stoppedBrokers);
        }
        stopped.forEach(this::restartBroker);
    }

    /** Whether {@link #stopBroker(int)} and {@link #restartBroker(int)} work in this mode. */
    public boolean canStopBrokers() {
        return backend.controlsBrokers();
    }

    @Override
    public String toString() {
        return "KafkaCluster[" + mode() + ", " + bootstrapServers() + "]";
    }

    void close() throws Exception {
        Exception failure = null;
        try {
            admin.close(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            deleteStreamsState();
        } catch (RuntimeException e) {
            failure = addTo(failure, e);
        }
        try {
            backend.close();
        } catch (Exception e) {
            failure = addTo(failure, e);
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static Exception addTo(Exception first, Exception next) {
        if (first == null) {
            return next;
        }
        first.addSuppressed(next);
        return first;
    }

    private void requireBrokerControl() {
        if (!backend.controlsBrokers()) {
            throw new UnsupportedOperationException("Brokers can be stopped and restarted only in the IN_JVM mode;"
                    + " this cluster runs in mode " + mode());
        }
    }

    private boolean isRegistered(int brokerId) throws Exception {
        return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).stream()
                .map(Node::id).anyMatch(id -> id == brokerId);
    }

    private boolean everyPartitionHasALeader(List<String> topics) throws Exception {
        Map<String, TopicDescription> descriptions =
                admin.describeTopics(topics).allTopicNames().get(5, TimeUnit.SECONDS);
        return descriptions.values().stream()
                .flatMap(description -> description.partitions().stream())
                .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty());
    }

    private List<TopicPartition> partitionsOf(String topic) {
        try {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
            return description.partitions().stream()
                    .map(partition -> new TopicPartition(topic, partition.partition()))
                    .toList();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new AssertionError("Cannot read topic '" + topic + "': it does not exist", e.getCause());
            }
            throw new IllegalStateException("Could not describe topic '" + topic + "'", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while describing topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out describing topic '" + topic + "'", e);
        }
    }

    private static String describeShortfall(String topic, int expectedCount, Duration timeout,
            List<? extends ConsumerRecord<?, ?>> records) {
        String sample = records.stream().limit(MAX_RECORDS_IN_FAILURE)
                .map(r -> r.partition() + "@" + r.offset() + " " + r.key() + "=" + r.value())
                .collect(Collectors.joining(", ", "[", records.size() > MAX_RECORDS_IN_FAILURE ? ", ...]" : "]"));
        return "Expected at least " + expectedCount + " committed records in topic '" + topic + "' within "
                + timeout + " but read " + records.size() + ": " + sample
                + " (records of open or aborted transactions are not visible)";
    }

    private static List<String> names(Collection<NewTopic> topics) {
        return topics.stream().map(NewTopic::name).toList();
    }

    private static <T> T get(org.apache.kafka.common.KafkaFuture<T> future, String action) {
        try {
            return future.get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Could not " + action, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while trying to " + action, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Timed out after " + DEFAULT_TIMEOUT + " trying to " + action, e);
        }
    }

    private synchronized Path newStreamsStateDir(String applicationId) {
        try {
            if (streamsStateRoot == null) {
                streamsStateRoot = Files.createTempDirectory("costmeter-streams-");
            }
            return Files.createTempDirectory(streamsStateRoot, applicationId.replaceAll("[^a-zA-Z0-9._-]", "-") + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a Kafka Streams state directory", e);
        }
    }

    private synchronized void deleteStreamsState() {
        if (streamsStateRoot == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(streamsStateRoot)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not delete Kafka Streams state under " + streamsStateRoot, e);
        }
        streamsStateRoot = null;
    }

    /** Lets a test reuse its deserializers after {@code readAll}, which closes its consumer. */
    private static final class NonClosing<T> implements Deserializer<T> {
        private final Deserializer<T> delegate;

        NonClosing(Deserializer<T> delegate) {
            this.delegate = delegate;
        }

        @Override
        public T deserialize(String topic, byte[] data) {
            return delegate.deserialize(topic, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, byte[] data) {
            return delegate.deserialize(topic, headers, data);
        }

        @Override
        public T deserialize(String topic, Headers headers, ByteBuffer data) {
            return delegate.deserialize(topic, headers, data);
        }

        @Override
        public void close() {
            // The caller owns the deserializer.
        }
    }
}
