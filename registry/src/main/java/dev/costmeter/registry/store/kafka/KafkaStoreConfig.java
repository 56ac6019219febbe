package dev.costmeter.registry.store.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the Kafka-backed store needs.
 *
 * @param bootstrapServers the Kafka cluster holding the schemas topic
 * @param topic the compacted, single-partition topic the log lives in
 * @param replicationFactor used when the store creates the topic
 * @param clientProperties extra client properties (security and the like) for every client
 * @param initTimeout how long start-up may take to create or verify the topic and catch up
 * @param writeTimeout how long a write may take until the store's reader has read it back
 */
public record KafkaStoreConfig(
    String bootstrapServers,
    String topic,
    short replicationFactor,
    Map<String, Object> clientProperties,
    Duration initTimeout,
    Duration writeTimeout) {

  public KafkaStoreConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    clientProperties = Map.copyOf(clientProperties);
    Objects.requireNonNull(initTimeout, "initTimeout");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
  }

  /** Names the client properties but not their values, which may be secrets. */
  @Override
  public String toString() {
    return "KafkaStoreConfig{bootstrapServers=" + bootstrapServers + ", topic=" + topic
        + ", replicationFactor=" + replicationFactor + ", clientProperties="
        + new TreeSet<>(clientProperties.keySet()) + ", initTimeout=" + initTimeout
        + ", writeTimeout=" + writeTimeout + "}";
  }
}
