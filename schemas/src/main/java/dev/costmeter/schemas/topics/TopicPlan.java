package dev.costmeter.schemas.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * costmeter's topics with their partitions, retention and compaction. Usage and task outcomes share
 * key (task_id) and partition count so that metering joins them without a repartition.
 */
public final class TopicPlan {

    private static final Logger log = LoggerFactory.getLogger(TopicPlan.class);
    private static final long DAY_MS = 24L * 60 * 60 * 1000;

    /**
     * The compression of the topics that services in other languages read (the ledger, the rollups):
     * gzip, the one codec every Kafka client decodes without a plugin (kafkajs has no LZ4 codec built
     * in and fails silently on LZ4 batches). Set on the topic, so the broker stores gzip whatever its
     * producers send: metering produces LZ4, which costs its stream threads several times less CPU
     * than gzip, and the broker recompresses these two topics (level 1: most of gzip's saving for the
     * least CPU). Internal topics (changelogs, repartitions) stay as produced.
     */
    public static final Map<String, String> READ_BY_OTHER_LANGUAGES = Map.of(
            "compression.type", "gzip", "compression.gzip.level", "1");

    /** One topic of the plan. */
    public record Spec(String name, int partitions, Map<String, String> configs) {
    }

    private TopicPlan() {
    }

    /** The plan for {@code topics}, the data topics with {@code dataPartitions} partitions. */
    public static List<Spec> specs(TopicNames topics, int dataPartitions) {
        Map<String, String> compacted = Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "60000");
        return List.of(
                new Spec(topics.usage(), dataPartitions, retention(7)),
                new Spec(topics.taskOutcomes(), dataPartitions, retention(7)),
                new Spec(topics.prices(), 1, compacted),
                new Spec(topics.budgets(), 1, compacted),
                new Spec(topics.ledger(), dataPartitions, with(retention(30), READ_BY_OTHER_LANGUAGES)),
                new Spec(topics.rollups(), dataPartitions, with(retention(7), READ_BY_OTHER_LANGUAGES)),
                // One partition: a scope's warning ladder (50%, 70%, action) reaches on-call in the order it fired.
                new Spec(topics.alerts(), 1, retention(30)),
                new Spec(topics.control(), 1, compacted),
                new Spec(topics.usageDlq(), 1, retention(30)),
                // Keyed by task_id like usage, with as many partitions: metering applies a correction on
                // the partition that holds the task's totals, without a repartition.
                new Spec(topics.priceCorrections(), dataPartitions, retention(30)),
                new Spec(topics.ledgerCorrections(), dataPartitions, retention(30)));
    }

    private static Map<String, String> with(Map<String, String> configs, Map<String, String> more) {
        Map<String, String> all = new TreeMap<>(configs);
        all.putAll(more);
        return Map.copyOf(all);
    }

    private static Map<String, String> retention(int days) {
        return Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(days * DAY_MS));
    }

    /**
     * Creates the topics that do not exist yet, at {@code replicationFactor} and, with more than one
     * replica, {@code min.insync.replicas} set; existing ones are left as they are and reported when
     * they differ from the plan.
     */
    public static void apply(Admin admin, List<Spec> specs, short replicationFactor, int minInsyncReplicas)
            throws InterruptedException, ExecutionException, TimeoutException {
        Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        List<NewTopic> missing = new ArrayList<>();
        for (Spec spec : specs) {
            if (existing.contains(spec.name())) {
                continue;
            }
            Map<String, String> configs = new TreeMap<>(spec.configs());
            if (replicationFactor > 1) {
                configs.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, Integer.toString(minInsyncReplicas));
            }
            missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(configs));
        }
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            missing.forEach(t -> log.info("Created topic {} ({} partitions, {} replicas, {})", t.name(), t.numPartitions(),
                    t.replicationFactor(), t.configs()));
        }
        Map<String, TopicDescription> described = describe(admin, specs.stream().map(Spec::name).toList());
        for (Spec spec : specs) {
            TopicDescription topic = described.get(spec.name());
            int actual = topic.partitions().size();
            if (actual != spec.partitions()) {
                log.warn("Topic {} has {} partitions where the plan says {}; leaving it as it is", spec.name(), actual,
                        spec.partitions());
            }
            int replicas = topic.partitions().get(0).replicas().size();
            if (replicas != replicationFactor) {
                log.warn("Topic {} has {} replicas where the stack wants {}; leaving it as it is", spec.name(), replicas,
                        replicationFactor);
            }
        }
    }

    /** Describes {@code topics}, waiting for every broker to know those just created (metadata spreads asynchronously). */
    private static Map<String, TopicDescription> describe(Admin admin, List<String> topics)
            throws InterruptedException, ExecutionException, TimeoutException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
    }
}
