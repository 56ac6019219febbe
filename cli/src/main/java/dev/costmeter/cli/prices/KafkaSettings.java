package dev.costmeter.cli.prices;

import dev.costmeter.cli.kafka.KafkaConnection;
import java.time.Duration;

/**
 * Where the prices topic lives.
 *
 * @param timeout how long to wait for Kafka or the registry before calling them unreachable
 */
public record KafkaSettings(String bootstrapServers, String schemaRegistryUrl, String pricesTopic, Duration timeout) {

    public KafkaConnection connection() {
        return new KafkaConnection(bootstrapServers, schemaRegistryUrl, timeout);
    }
}
