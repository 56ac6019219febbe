package dev.costmeter.cli.prices;

import dev.costmeter.cli.kafka.KafkaConnection;
import java.time.Duration;

/** Where the prices topic lives, and how to reach it. */
public record KafkaSettings(KafkaConnection connection, String pricesTopic) {

    /** A plaintext connection (tests). */
    public KafkaSettings(String bootstrapServers, String schemaRegistryUrl, String pricesTopic, Duration timeout) {
        this(new KafkaConnection(bootstrapServers, schemaRegistryUrl, timeout), pricesTopic);
    }

    public String bootstrapServers() {
        return connection.bootstrapServers();
    }

    public String schemaRegistryUrl() {
        return connection.schemaRegistryUrl();
    }

    public Duration timeout() {
        return connection.timeout();
    }
}
