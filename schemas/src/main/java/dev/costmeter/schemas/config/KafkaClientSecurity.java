package dev.costmeter.schemas.config;

import java.util.Map;
import java.util.TreeMap;

/**
 * The keys of a configuration that say how a Kafka client authenticates and encrypts:
 * {@code security.protocol}, {@code sasl.*} and {@code ssl.*}. Every costmeter component copies
 * them, unchanged, into each Kafka client it makes, so one file secures them all.
 */
public final class KafkaClientSecurity {

    private KafkaClientSecurity() {
    }

    /** Whether {@code key} is a Kafka client security key. */
    public static boolean isSecurityKey(String key) {
        return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.");
    }

    /** The security keys of {@code config}. */
    public static Map<String, String> of(Map<String, String> config) {
        Map<String, String> security = new TreeMap<>();
        config.forEach((key, value) -> {
            if (isSecurityKey(key)) {
                security.put(key, value);
            }
        });
        return security;
    }
}
