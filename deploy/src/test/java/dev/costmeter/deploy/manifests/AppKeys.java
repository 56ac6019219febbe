package dev.costmeter.deploy.manifests;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.HttpTls;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.runtime.rocksdb.BoundedMemoryRocksDBConfig;
import dev.costmeter.schemas.topics.TopicNames;
import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.storage.internals.log.LogConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which configuration keys and environment variables costmeter's apps read, derived from their code:
 * a stream app reads its {@code defaults()}, the runtime's keys ({@link StreamsApp}, the RocksDB
 * sizing), every Kafka Streams and client key (passed through by {@link StreamsDefaults}), the
 * {@code streams.*} pass-through and the {@code topic.*} names; the registry reads the variables of
 * its {@code EnvOverrides}.
 */
final class AppKeys {

    /** Variables every JVM reads; the images set them too. */
    static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");
    static final String STREAMS_PREFIX = "COSTMETER_";
    static final String REGISTRY_CLIENT_PREFIX = "REGISTRY_KAFKASTORE_";

    private static final Set<String> CLIENT_PREFIXES = Set.of(StreamsConfig.CONSUMER_PREFIX,
            StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX, StreamsConfig.MAIN_CONSUMER_PREFIX,
            StreamsConfig.RESTORE_CONSUMER_PREFIX, StreamsConfig.GLOBAL_CONSUMER_PREFIX);

    private AppKeys() {
    }

    /**
     * The configuration key a variable sets in a stream app, by AppConfig's own override rules; empty
     * when the variable sets none (it is not {@code COSTMETER_*} or an alias).
     */
    static Optional<String> keySetBy(App app, String variable) {
        Map<String, String> defaults = app.defaults();
        String marker = "costmeter-deploy-check-marker";
        Map<String, String> loaded = AppConfig.load(app.appName(), defaults, Optional.empty(), Map.of(variable, marker))
                .asMap();
        return loaded.entrySet().stream().filter(e -> e.getValue().equals(marker)).map(Map.Entry::getKey).findFirst();
    }

    /** Whether a stream app reads configuration key {@code key}. */
    static boolean streamsAppReads(App app, String key) {
        if (app.defaults().containsKey(key) || runtimeKeys().contains(key) || kafkaKeys().contains(key)) {
            return true;
        }
        if (key.startsWith(StreamsDefaults.ROCKSDB_PREFIX)) {
            return rocksDbKeys().contains(key);
        }
        if (key.startsWith(StreamsDefaults.STREAMS_PREFIX)) {
            String passed = key.substring(StreamsDefaults.STREAMS_PREFIX.length());
            return kafkaKeys().contains(passed) || clientPrefixed(passed)
                    || (passed.startsWith(StreamsConfig.TOPIC_PREFIX)
                            && LogConfig.configNames().contains(passed.substring(StreamsConfig.TOPIC_PREFIX.length())));
        }
        if (key.startsWith("topic.")) {
            return Arrays.stream(TopicNames.Logical.values()).anyMatch(t -> t.configKey().equals(key));
        }
        return clientPrefixed(key);
    }

    /** Whether a stream app reads variable {@code variable}, either as a key or as a topic name. */
    static boolean streamsAppReadsVariable(App app, String variable) {
        if (JVM_VARIABLES.contains(variable)
                || Arrays.stream(TopicNames.Logical.values()).anyMatch(t -> t.envVar().equals(variable))) {
            return true;
        }
        return keySetBy(app, variable).filter(key -> streamsAppReads(app, key)).isPresent();
    }

    /** Whether the registry reads {@code variable} (its EnvOverrides, read by reflection). */
    static boolean registryReadsVariable(String variable) {
        if (JVM_VARIABLES.contains(variable) || registryVariables().contains(variable)) {
            return true;
        }
        if (variable.startsWith(REGISTRY_CLIENT_PREFIX)) {
            String key = variable.substring(REGISTRY_CLIENT_PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            return isKafkaClientKey(key);
        }
        if (variable.startsWith("COSTMETER_") && !variable.equals("COSTMETER_CONFIG_FILE")) {
            // ConfigLayers: COSTMETER_A_B sets a.b; the registry reads its own keys, kafkastore.<client key>,
            // and the plain client keys every component shares (bootstrap.servers, security.protocol, sasl.*, ssl.*).
            String key = variable.substring("COSTMETER_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.');
            Set<String> registryKeys = new TreeSet<>(registryNamedKeys());
            return registryKeys.contains(key) || (key.startsWith("kafkastore.") && isKafkaClientKey(key.substring(11)))
                    || key.equals("bootstrap.servers") || dev.costmeter.schemas.config.KafkaClientSecurity.isSecurityKey(key)
                    && isKafkaClientKey(key);
        }
        return false;
    }

    private static boolean isKafkaClientKey(String key) {
        return ProducerConfig.configNames().contains(key) || ConsumerConfig.configNames().contains(key)
                || AdminClientConfig.configNames().contains(key);
    }

    /** The registry's own keys (the values of its EnvOverrides.NAMED). */
    static Set<String> registryNamedKeys() {
        try {
            Class<?> overrides = Class.forName("dev.costmeter.registry.EnvOverrides");
            Field named = overrides.getDeclaredField("NAMED");
            named.setAccessible(true);
            Set<String> keys = new TreeSet<>(((Map<?, ?>) named.get(null)).values().stream().map(Object::toString).toList());
            // and its access settings, which only ever had COSTMETER_* names
            keys.addAll(Set.of(RegistryServerConfig.AUTH_USERS_CONFIG, RegistryServerConfig.AUTH_DISABLED_CONFIG,
                    RegistryServerConfig.READ_ONLY_CONFIG));
            return keys;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read the registry's EnvOverrides.NAMED: " + e, e);
        }
    }

    static Set<String> registryVariables() {
        try {
            Class<?> overrides = Class.forName("dev.costmeter.registry.EnvOverrides");
            Field named = overrides.getDeclaredField("NAMED");
            named.setAccessible(true);
            return new TreeSet<>(((Map<?, ?>) named.get(null)).keySet().stream().map(Object::toString).toList());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot read the registry's EnvOverrides.NAMED: " + e, e);
        }
    }

    static Set<String> kafkaKeys() {
        Set<String> keys = new TreeSet<>(StreamsConfig.configDef().names());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return keys;
    }

    private static boolean clientPrefixed(String key) {
        for (String prefix : CLIENT_PREFIXES) {
            if (key.startsWith(prefix)) {
                return kafkaKeys().contains(key.substring(prefix.length()));
            }
        }
        return key.startsWith(StreamsConfig.CLIENT_TAG_PREFIX);
    }

    private static Set<String> runtimeKeys() {
        return Set.of(StreamsApp.HTTP_HOST_CONFIG, StreamsApp.HTTP_PORT_CONFIG, StreamsApp.SHUTDOWN_TIMEOUT_CONFIG,
                StreamsApp.UNCAUGHT_EXCEPTION_RESPONSE_CONFIG, ApiAccess.TOKENS_CONFIG, ApiAccess.DISABLED_CONFIG,
                ApiAccess.METRICS_CONFIG, HttpTls.KEYSTORE_CONFIG, HttpTls.KEYSTORE_PASSWORD_CONFIG,
                HttpTls.KEYSTORE_TYPE_CONFIG, HttpTls.TRUSTSTORE_CONFIG, HttpTls.TRUSTSTORE_PASSWORD_CONFIG,
                HttpTls.TRUSTSTORE_TYPE_CONFIG);
    }

    private static Set<String> rocksDbKeys() {
        return Set.of(BoundedMemoryRocksDBConfig.TOTAL_MEMORY_CONFIG, BoundedMemoryRocksDBConfig.MEMTABLE_SHARE_CONFIG,
                BoundedMemoryRocksDBConfig.MAX_WRITE_BUFFERS_CONFIG, BoundedMemoryRocksDBConfig.HIGH_PRIORITY_RATIO_CONFIG);
    }
}
