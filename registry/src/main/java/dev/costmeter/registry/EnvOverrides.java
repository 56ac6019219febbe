package dev.costmeter.registry;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.schemas.config.ConfigLayers;
import dev.costmeter.schemas.config.DeprecatedNames;
import dev.costmeter.schemas.config.KafkaClientSecurity;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * The registry's configuration, resolved like every costmeter component's ({@link ConfigLayers}:
 * the properties file, then {@code COSTMETER_*} variables, e.g. {@code COSTMETER_REGISTRY_PORT}).
 * The registry's older variables still work, with a deprecation warning: {@code REGISTRY_HOST},
 * {@code REGISTRY_PORT}, {@code KAFKA_BOOTSTRAP_SERVERS}, {@code REGISTRY_SCHEMAS_TOPIC},
 * {@code REGISTRY_TOPIC_REPLICATION_FACTOR}, {@code REGISTRY_COMPATIBILITY_LEVEL},
 * {@code REGISTRY_INIT_TIMEOUT_MS}, {@code REGISTRY_WRITE_TIMEOUT_MS}, and
 * {@code REGISTRY_KAFKASTORE_<NAME>} for any Kafka client property.
 *
 * <p>The plain Kafka client keys every component shares ({@code bootstrap.servers},
 * {@code security.protocol}, {@code sasl.*}, {@code ssl.*}) reach the registry's Kafka clients too,
 * unless the same key is set with the registry's {@code kafkastore.} prefix: one client file
 * secures the registry as it does the apps and costctl.
 */
final class EnvOverrides {

  /** The registry's variables from before {@link ConfigLayers}. */
  static final Map<String, String> NAMED = Map.of(
      "REGISTRY_HOST", RegistryServerConfig.HOST_CONFIG,
      "REGISTRY_PORT", RegistryServerConfig.PORT_CONFIG,
      "KAFKA_BOOTSTRAP_SERVERS", RegistryServerConfig.BOOTSTRAP_SERVERS_CONFIG,
      "REGISTRY_SCHEMAS_TOPIC", RegistryServerConfig.TOPIC_CONFIG,
      "REGISTRY_TOPIC_REPLICATION_FACTOR", RegistryServerConfig.TOPIC_REPLICATION_FACTOR_CONFIG,
      "REGISTRY_COMPATIBILITY_LEVEL", RegistryServerConfig.COMPATIBILITY_LEVEL_CONFIG,
      "REGISTRY_INIT_TIMEOUT_MS", RegistryServerConfig.INIT_TIMEOUT_CONFIG,
      "REGISTRY_WRITE_TIMEOUT_MS", RegistryServerConfig.WRITE_TIMEOUT_CONFIG);
  private static final DeprecatedNames DEPRECATED = DeprecatedNames.named(NAMED)
      .or(DeprecatedNames.prefixed("REGISTRY_KAFKASTORE_", RegistryServerConfig.CLIENT_PREFIX));

  private EnvOverrides() {
  }

  /** The registry's properties: {@code file} (else {@code COSTMETER_CONFIG_FILE}'s), then {@code env}. */
  static Properties load(Optional<Path> file, Map<String, String> env) {
    return toProperties(shareClientKeys(ConfigLayers.resolve(Map.of(), file, env, DEPRECATED, Map.of())));
  }

  /** {@code properties} (as the file layer) with {@code env} on top. */
  static Properties apply(Map<String, String> env, Properties properties) {
    Map<String, String> file = new LinkedHashMap<>();
    properties.stringPropertyNames().forEach(name -> file.put(name, properties.getProperty(name)));
    return toProperties(shareClientKeys(ConfigLayers.resolve(file, Optional.empty(), withoutConfigFile(env), DEPRECATED,
        Map.of())));
  }

  private static Map<String, String> withoutConfigFile(Map<String, String> env) {
    Map<String, String> copy = new LinkedHashMap<>(env);
    copy.remove(ConfigLayers.CONFIG_FILE_ENV);
    return copy;
  }

  /** {@code bootstrap.servers} and the security keys, as {@code kafkastore.*} where that is not set. */
  private static Map<String, String> shareClientKeys(Map<String, String> resolved) {
    Map<String, String> result = new LinkedHashMap<>(resolved);
    Map<String, String> shared = new LinkedHashMap<>(KafkaClientSecurity.of(resolved));
    if (resolved.containsKey("bootstrap.servers")) {
      shared.put("bootstrap.servers", resolved.get("bootstrap.servers"));
    }
    shared.forEach((key, value) -> result.putIfAbsent(RegistryServerConfig.CLIENT_PREFIX + key, value));
    return result;
  }

  private static Properties toProperties(Map<String, String> values) {
    Properties merged = new Properties();
    values.forEach(merged::setProperty);
    return merged;
  }
}
