package dev.costmeter.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import dev.costmeter.local.security.StackPrincipal;
import dev.costmeter.local.security.StackSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stack's Kafka nodes as one cluster: their storage, and what is asked of the cluster as a
 * whole, through one admin client for the stack's life (a client per question would log its whole
 * configuration each time).
 */
final class KafkaCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaCluster.class);
    private static final String SECURED_AT_FORMAT = "formatted";

    private final StackConfig config;
    private final List<KafkaNode> nodes;
    private final Optional<StackSecurity> security;
    private Admin admin;

    KafkaCluster(StackConfig config, Optional<StackSecurity> security) {
        this.config = config;
        this.security = security;
        this.nodes = IntStream.rangeClosed(1, config.shape().brokers()).mapToObj(id -> new KafkaNode(config, id, security)).toList();
    }

    List<KafkaNode> nodes() {
        return nodes;
    }

    /**
     * Writes every node's properties and formats the nodes that are new, all with the cluster's id.
     * Refuses a data directory made for another number of brokers: a KRaft quorum's voters are fixed.
     */
    void prepare() throws IOException, InterruptedException, LocalStack.StackStartException {
        checkSameSize();
        Optional<String> existingId = Optional.empty();
        for (KafkaNode node : nodes) {
            node.writeProperties();
            if (existingId.isEmpty()) {
                existingId = node.formattedClusterId();
            }
        }
        String clusterId = existingId.orElseGet(() -> Uuid.randomUuid().toString());
        List<Thread> formats = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (KafkaNode node : nodes) {
            if (node.formattedClusterId().isPresent()) {
                log.info("Kafka storage at {} already formatted; resuming", node.logDir());
                continue;
            }
            // One JVM each, at the same time: formatting is mostly JVM start-up.
            Thread format = new Thread(() -> {
                try {
                    node.format(clusterId);
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "format-" + node.name());
            format.start();
            formats.add(format);
        }
        for (Thread format : formats) {
            format.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException(failures.get(0).getMessage(), failures.get(0));
        }
        if (security.isPresent()) {
            // Marks the data directory as secure for good: a later start without --secure is refused.
            Files.writeString(security.get().directory().resolve(SECURED_AT_FORMAT), "SCRAM users added at format\n");
        }
    }

    private void checkSameSize() throws LocalStack.StackStartException {
        Path data = config.dataDir();
        boolean single = Files.exists(data.resolve("kafka").resolve("meta.properties"));
        int numbered = 0;
        while (Files.exists(data.resolve("kafka-" + (numbered + 1)).resolve("meta.properties"))) {
            numbered++;
        }
        int made = single ? 1 : numbered;
        if ((single || numbered > 0) && made != config.shape().brokers()) {
            throw new LocalStack.StackStartException("The data directory " + data + " holds a Kafka cluster of " + made
                    + " broker(s), not " + config.shape().brokers() + "; use another --data-dir for another cluster size");
        }
    }

    /**
     * Refuses to run a data directory made plaintext with --secure (its brokers have no SCRAM users)
     * and one made with --secure without it (its ACLs would silently stop applying). Called before
     * any security material is made, so that a refused start changes nothing.
     */
    static void checkSameSecurity(StackConfig config) throws LocalStack.StackStartException {
        Path data = config.dataDir();
        boolean formatted = Files.exists(data.resolve("kafka").resolve("meta.properties"))
                || Files.exists(data.resolve("kafka-1").resolve("meta.properties"));
        boolean madeSecure = Files.exists(data.resolve("security").resolve(SECURED_AT_FORMAT));
        if (formatted && config.secure() && !madeSecure) {
            throw new LocalStack.StackStartException("The data directory " + data + " holds a Kafka cluster made"
                    + " without --secure (it has no SCRAM users); use another --data-dir for a secure stack");
        }
        if (madeSecure && !config.secure()) {
            throw new LocalStack.StackStartException("The data directory " + data + " was made with --secure;"
                    + " start it with --secure (or use another --data-dir)");
        }
    }

    /** The stack's admin client: not to be closed by its users. */
    synchronized Admin admin() {
        if (admin == null) {
            admin = newAdmin();
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }

    private Admin newAdmin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000);
        // The stack creates topics and ACLs as the broker principal, the only super user.
        security.ifPresent(s -> props.putAll(s.clientProperties(StackPrincipal.BROKER)));
        return Admin.create(props);
    }

    /** Whether node {@code nodeId} is one of the cluster's live (registered, unfenced) brokers. */
    boolean isLiveBroker(int nodeId) {
        try {
            return admin().describeCluster().nodes().get(5, TimeUnit.SECONDS).stream().anyMatch(node -> node.id() == nodeId);
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The node id of the active controller (the leader of the metadata quorum). */
    int activeControllerId() throws InterruptedException, ExecutionException, TimeoutException {
        return admin().describeMetadataQuorum().quorumInfo().get(10, TimeUnit.SECONDS).leaderId();
    }

    /** Partitions, of every topic, internal ones included, whose in-sync replicas are fewer than their replicas. */
    Set<String> underReplicatedPartitions() throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> topics = admin().listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS);
        Map<String, TopicDescription> described = admin().describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS);
        Set<String> under = new TreeSet<>();
        for (TopicDescription topic : described.values()) {
            for (TopicPartitionInfo partition : topic.partitions()) {
                if (partition.isr().size() < partition.replicas().size()) {
                    under.add(topic.name() + "-" + partition.partition());
                }
            }
        }
        return under;
    }

    /** Waits until no partition is under-replicated. */
    void awaitFullyReplicated(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<String> under = Set.of("(not asked yet)");
        while (System.nanoTime() < deadline) {
            try {
                under = underReplicatedPartitions();
                if (under.isEmpty()) {
                    return;
                }
            } catch (ExecutionException | TimeoutException notYet) {
                under = Set.of("(cluster did not answer: " + notYet.getMessage() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new TimeoutException("Partitions still under-replicated after " + timeout.toSeconds() + " s: " + under);
    }
}
