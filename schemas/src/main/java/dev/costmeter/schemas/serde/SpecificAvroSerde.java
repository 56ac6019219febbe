package dev.costmeter.schemas.serde;

import dev.costmeter.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka Streams serde for one generated Avro class, on the Confluent wire format.
 *
 * @param <T> the generated record type
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

    private final Class<T> type;
    private final AvroSerializer<T> serializer;
    private final AvroDeserializer<T> deserializer;

    /** A serde that connects to the registry named in its configuration. */
    public SpecificAvroSerde(Class<T> type) {
        this.type = type;
        this.serializer = new AvroSerializer<>();
        this.deserializer = new AvroDeserializer<>(type);
    }

    /** A serde sharing {@code registry} with others, so schemas are fetched once per process. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient registry) {
        this.type = type;
        this.serializer = new AvroSerializer<>(registry);
        this.deserializer = new AvroDeserializer<>(type, registry);
    }

    /** Creates and configures a serde in one step. */
    public static <T extends SpecificRecord> SpecificAvroSerde<T> configured(Class<T> type, SchemaRegistryClient registry,
            Map<String, ?> configs, boolean isKey) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registry);
        serde.configure(configs, isKey);
        return serde;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    /**
     * Resolves the id this serde writes its type with on {@code topic}, ahead of the first record
     * (see {@link AvroSerializer#prepare}).
     */
    public int prepare(String topic) {
        return serializer.prepare(topic, SpecificData.get().getSchema(type));
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
