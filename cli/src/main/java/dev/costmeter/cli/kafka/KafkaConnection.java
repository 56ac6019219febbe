package dev.costmeter.cli.kafka;

import java.time.Duration;

/**
 * Where Kafka and the schema registry are, from the global options.
 *
 * @param timeout how long to wait for Kafka or the registry before calling them unreachable
 */
public record KafkaConnection(String bootstrapServers, String schemaRegistryUrl, Duration timeout) {
}
