package dev.costmeter.cli.kafka;

import java.time.Duration;
import java.util.Map;

/**
 * Where Kafka and the schema registry are, and how costctl authenticates to them.
 *
 * @param timeout          how long to wait for Kafka or the registry before calling them unreachable
 * @param kafkaSecurity    {@code security.protocol}, {@code sasl.*}, {@code ssl.*} for every Kafka client
 * @param registryClient   the registry client's {@code basic.auth.*} and {@code schema.registry.ssl.*}
 */
public record KafkaConnection(String bootstrapServers, String schemaRegistryUrl, Duration timeout,
        Map<String, String> kafkaSecurity, Map<String, String> registryClient) {

    public KafkaConnection {
        kafkaSecurity = Map.copyOf(kafkaSecurity);
        registryClient = Map.copyOf(registryClient);
    }

    /** A plaintext connection without registry credentials. */
    public KafkaConnection(String bootstrapServers, String schemaRegistryUrl, Duration timeout) {
        this(bootstrapServers, schemaRegistryUrl, timeout, Map.of(), Map.of());
    }

    @Override
    public String toString() {
        return "KafkaConnection[bootstrapServers=" + bootstrapServers + ", schemaRegistryUrl="
                + dev.costmeter.schemas.config.SecretRedaction.display("url", schemaRegistryUrl) + ", timeout=" + timeout
                + ", kafkaSecurity=" + dev.costmeter.schemas.config.SecretRedaction.displayed(kafkaSecurity) + "]";
    }
}
