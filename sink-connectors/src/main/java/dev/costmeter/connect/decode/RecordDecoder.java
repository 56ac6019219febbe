package dev.costmeter.connect.decode;

import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Decodes the raw bytes that Connect's {@code ByteArrayConverter} hands a task into costmeter's
 * generated Avro classes, through the schema registry. One registry client (and its schema cache)
 * serves every record type of a task.
 */
public final class RecordDecoder implements AutoCloseable {

    private final SchemaRegistryClient registry;
    private final Map<Class<? extends SpecificRecord>, AvroDeserializer<?>> deserializers = new HashMap<>();

    public RecordDecoder(Map<String, ?> registryConfigs) {
        this.registry = new RestSchemaRegistryClient(RegistryClientConfig.from(registryConfigs));
    }

    /**
     * The record's value as {@code type}.
     *
     * @throws DataException when the value is null, not bytes, not in the wire format, or its
     *     writer schema cannot be resolved into {@code type}; such a record can never be written
     * @throws RetriableException when the schema registry cannot answer now: the record may be fine,
     *     so the caller must have Connect redeliver the batch rather than dead-letter it
     */
    public <T extends SpecificRecord> T decode(SinkRecord record, Class<T> type) {
        Object value = record.value();
        if (value == null) {
            throw new DataException("Record " + coordinates(record) + " has no value (a tombstone); "
                    + type.getSimpleName() + " records are never deleted");
        }
        if (!(value instanceof byte[] bytes)) {
            throw new DataException("Record " + coordinates(record) + " holds a " + value.getClass().getName()
                    + ", not bytes: set value.converter=org.apache.kafka.connect.converters.ByteArrayConverter");
        }
        try {
            return type.cast(deserializer(type).deserialize(record.topic(), bytes));
        } catch (RuntimeException e) {
            if (SchemaRegistryUnavailableException.isCause(e)) {
                throw new RetriableException("The schema registry cannot answer, so " + coordinates(record)
                        + " cannot be decoded now; the batch is redelivered: " + e.getMessage(), e);
            }
            throw new DataException("Cannot decode " + coordinates(record) + " as " + type.getSimpleName()
                    + ": " + e.getMessage(), e);
        }
    }

    /** {@code topic-partition@offset}, for messages. */
    public static String coordinates(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    private AvroDeserializer<?> deserializer(Class<? extends SpecificRecord> type) {
        return deserializers.computeIfAbsent(type, t -> new AvroDeserializer<>(t, registry));
    }

    @Override
    public void close() {
        registry.close();
    }
}
