package dev.costmeter.registry.store.kafka;

import dev.costmeter.registry.store.StoreException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the schemas topic, or checks an existing one is fit to hold the log: exactly one
 * partition (a single total order of writes) and {@code cleanup.policy=compact} (the latest value
 * of every key kept forever).
 */
final class SchemasTopic {

  private static final Logger log = LoggerFactory.getLogger(SchemasTopic.class);

  private static final long METADATA_RETRY_MS = 20;

  private final Admin admin;
  private final String name;
  private final short replicationFactor;
  private final long deadlineNanos;

  SchemasTopic(Admin admin, String name, short replicationFactor, long deadlineNanos) {
    this.admin = admin;
    this.name = name;
    this.replicationFactor = replicationFactor;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Makes sure the topic exists and is compacted with one partition.
   *
   * @throws StoreException when the topic cannot be created or exists with the wrong layout
   */
  void ensure() {
    TopicDescription description = describe();
    if (description == null) {
      create();
      description = describeOnceKnown();
    }
    verify(description);
  }

  private TopicDescription describe() {
    try {
      return await(admin.describeTopics(List.of(name)).allTopicNames()).get(name);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw new StoreException("Cannot describe topic " + name + ": " + e.getCause(), e);
    }
  }

  /**
   * Describes the topic just created. A broker learns of a new topic from the metadata log a
   * little after the controller accepted it, so "unknown topic" is retried until the deadline.
   */
  private TopicDescription describeOnceKnown() {
    while (true) {
      TopicDescription description = describe();
      if (description != null) {
        return description;
      }
      if (System.nanoTime() - deadlineNanos >= 0) {
        throw new StoreException("Topic " + name + " was created but cannot be described");
      }
      try {
        TimeUnit.MILLISECONDS.sleep(METADATA_RETRY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("Interrupted setting up topic " + name, e);
      }
    }
  }

  private void create() {
    NewTopic topic = new NewTopic(name, 1, replicationFactor)
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      await(admin.createTopics(List.of(topic)).all());
      log.info("Created topic {} (1 partition, replication factor {}, compacted)", name,
          replicationFactor);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw new StoreException("Cannot create topic " + name + " with replication factor "
            + replicationFactor + ": " + e.getCause().getMessage(), e);
      }
      log.info("Topic {} was created concurrently", name);
    }
  }

  private void verify(TopicDescription description) {
    int partitions = description.partitions().size();
    if (partitions != 1) {
      throw new StoreException("Topic " + name + " has " + partitions + " partitions but the"
          + " schema registry needs exactly 1, so that its log has a single order. Delete it or"
          + " configure another topic (kafkastore.topic).");
    }
    String policy = cleanupPolicy();
    if (!TopicConfig.CLEANUP_POLICY_COMPACT.equals(policy)) {
      throw new StoreException("Topic " + name + " has cleanup.policy=" + policy + " but the"
          + " schema registry needs cleanup.policy=compact, or schemas would be deleted by"
          + " retention. Fix it with kafka-configs --alter --add-config cleanup.policy=compact.");
    }
    int replicas = description.partitions().get(0).replicas().size();
    if (replicas < replicationFactor) {
      log.warn("Topic {} has replication factor {}, below the configured {}", name, replicas,
          replicationFactor);
    }
  }

  /**
   * The topic's cleanup policy. Right after the topic is created, a broker that has not yet seen it
   * answers UnknownTopicOrPartition; asked again until the deadline, as {@link #describeOnceKnown}.
   */
  private String cleanupPolicy() {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, name);
    while (true) {
      try {
        Config config = await(admin.describeConfigs(List.of(resource)).all()).get(resource);
        ConfigEntry entry = config.get(TopicConfig.CLEANUP_POLICY_CONFIG);
        return entry == null ? null : entry.value();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() - deadlineNanos >= 0) {
          throw new StoreException("Cannot read the configuration of topic " + name + ": "
              + e.getCause(), e);
        }
      }
      try {
        TimeUnit.MILLISECONDS.sleep(METADATA_RETRY_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("Interrupted setting up topic " + name, e);
      }
    }
  }

  private <T> T await(KafkaFuture<T> future) throws ExecutionException {
    long remaining = deadlineNanos - System.nanoTime();
    try {
      return future.get(Math.max(remaining, 0), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new StoreException("Timed out setting up topic " + name
          + "; is the Kafka cluster reachable?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("Interrupted setting up topic " + name, e);
    }
  }
}
