package dev.costmeter.registry;

import dev.costmeter.registry.server.RegistryServerConfig;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Environment variables that override configuration properties, for containers and scripts:
 * {@code REGISTRY_HOST}, {@code REGISTRY_PORT}, {@code KAFKA_BOOTSTRAP_SERVERS},
 * {@code REGISTRY_SCHEMAS_TOPIC}, {@code REGISTRY_TOPIC_REPLICATION_FACTOR},
 * {@code REGISTRY_COMPATIBILITY_LEVEL}, {@code REGISTRY_INIT_TIMEOUT_MS},
 * {@code REGISTRY_WRITE_TIMEOUT_MS}, {@code REGISTRY_AUTH_USERS}, {@code REGISTRY_AUTH_DISABLED},
 * {@code REGISTRY_READ_ONLY}, and {@code REGISTRY_KAFKASTORE_<NAME>} for any Kafka client
 * property ({@code REGISTRY_KAFKASTORE_SECURITY_PROTOCOL} sets {@code security.protocol}).
 */
final class EnvOverrides {

  private static final Map<String, String> NAMED = Map.ofEntries(
      Map.entry("REGISTRY_AUTH_USERS", RegistryServerConfig.AUTH_USERS_CONFIG),
      Map.entry("REGISTRY_AUTH_DISABLED", RegistryServerConfig.AUTH_DISABLED_CONFIG),
      Map.entry("REGISTRY_READ_ONLY", RegistryServerConfig.READ_ONLY_CONFIG),
      Map.entry("REGISTRY_HOST", RegistryServerConfig.HOST_CONFIG),
      Map.entry("REGISTRY_PORT", RegistryServerConfig.PORT_CONFIG),
      Map.entry("KAFKA_BOOTSTRAP_SERVERS", RegistryServerConfig.BOOTSTRAP_SERVERS_CONFIG),
      Map.entry("REGISTRY_SCHEMAS_TOPIC", RegistryServerConfig.TOPIC_CONFIG),
      Map.entry("REGISTRY_TOPIC_REPLICATION_FACTOR", RegistryServerConfig.TOPIC_REPLICATION_FACTOR_CONFIG),
      Map.entry("REGISTRY_COMPATIBILITY_LEVEL", RegistryServerConfig.COMPATIBILITY_LEVEL_CONFIG),
      Map.entry("REGISTRY_INIT_TIMEOUT_MS", RegistryServerConfig.INIT_TIMEOUT_CONFIG),
      Map.entry("REGISTRY_WRITE_TIMEOUT_MS", RegistryServerConfig.WRITE_TIMEOUT_CONFIG));
  private static final String CLIENT_PREFIX = "REGISTRY_KAFKASTORE_";

  private EnvOverrides() {
  }

  /** Copies the recognized, non-blank variables of {@code env} over {@code properties}. */
  static Properties apply(Map<String, String> env, Properties properties) {
    Properties merged = new Properties();
    merged.putAll(properties);
    env.forEach((name, value) -> {
      if (value == null || value.isBlank()) {
        return;
      }
      String key = NAMED.get(name);
      if (key == null && name.startsWith(CLIENT_PREFIX) && name.length() > CLIENT_PREFIX.length()) {
        key = RegistryServerConfig.CLIENT_PREFIX
            + name.substring(CLIENT_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
      }
      if (key != null) {
        merged.setProperty(key, value);
      }
    });
    return merged;
  }
}
