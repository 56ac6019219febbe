package dev.costmeter.schemas.serde;

import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.ConfigException;

/**
 * Serde settings, read from the keys Confluent's Avro serdes use so existing client configuration
 * carries over: {@value #AUTO_REGISTER_SCHEMAS} (default true), {@value #USE_LATEST_VERSION}
 * (default false), {@value #SPECIFIC_AVRO_READER} (default false for the untyped deserializer) and
 * the subject name strategies {@value #KEY_SUBJECT_NAME_STRATEGY} / {@value #VALUE_SUBJECT_NAME_STRATEGY}
 * ({@code TopicNameStrategy}, the default, {@code RecordNameStrategy} or {@code TopicRecordNameStrategy},
 * by simple or Confluent class name). Registry connection keys are in
 * {@link dev.costmeter.schemas.registry.RegistryClientConfig}.
 */
public final class AvroSerdeConfig {

    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

    /** How a subject name is derived from the topic and the record's schema. */
    public enum SubjectNameStrategy {
        /** {@code <topic>-key} or {@code <topic>-value}: one schema lineage per topic. */
        TOPIC_NAME,
        /** The record's full name, whatever the topic. */
        RECORD_NAME,
        /** {@code <topic>-<record full name>}. */
        TOPIC_RECORD_NAME;

        /** The subject for a record of {@code schema} on {@code topic}. */
        public String subject(String topic, boolean isKey, Schema schema) {
            return switch (this) {
                case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
                case RECORD_NAME -> schema.getFullName();
                case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
            };
        }

        static SubjectNameStrategy parse(String key, String value) {
            String simple = value.substring(value.lastIndexOf('.') + 1);
            return switch (simple) {
                case "TopicNameStrategy" -> TOPIC_NAME;
                case "RecordNameStrategy" -> RECORD_NAME;
                case "TopicRecordNameStrategy" -> TOPIC_RECORD_NAME;
                default -> throw new ConfigException(key, value,
                        "Valid values are TopicNameStrategy, RecordNameStrategy and TopicRecordNameStrategy");
            };
        }
    }

    private final boolean autoRegister;
    private final boolean useLatestVersion;
    private final boolean specificReader;
    private final SubjectNameStrategy keyStrategy;
    private final SubjectNameStrategy valueStrategy;

    private AvroSerdeConfig(Map<String, ?> configs) {
        this.autoRegister = bool(configs, AUTO_REGISTER_SCHEMAS, true);
        this.useLatestVersion = bool(configs, USE_LATEST_VERSION, false);
        this.specificReader = bool(configs, SPECIFIC_AVRO_READER, false);
        this.keyStrategy = strategy(configs, KEY_SUBJECT_NAME_STRATEGY);
        this.valueStrategy = strategy(configs, VALUE_SUBJECT_NAME_STRATEGY);
        if (autoRegister && useLatestVersion) {
            throw new ConfigException(USE_LATEST_VERSION, true, "Cannot be combined with " + AUTO_REGISTER_SCHEMAS + "=true");
        }
    }

    /** Parses serde settings; unknown keys are ignored, as Kafka passes the whole client config. */
    public static AvroSerdeConfig from(Map<String, ?> configs) {
        return new AvroSerdeConfig(configs);
    }

    public boolean autoRegister() {
        return autoRegister;
    }

    public boolean useLatestVersion() {
        return useLatestVersion;
    }

    public boolean specificReader() {
        return specificReader;
    }

    public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
        return isKey ? keyStrategy : valueStrategy;
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean defaultValue) {
        Object value = configs.get(key);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String s = value.toString().trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new ConfigException(key, value, "Expected true or false");
    }

    private static SubjectNameStrategy strategy(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return SubjectNameStrategy.TOPIC_NAME;
        }
        if (value instanceof Class<?> c) {
            return SubjectNameStrategy.parse(key, c.getName());
        }
        return SubjectNameStrategy.parse(key, value.toString().trim());
    }
}
