package dev.costmeter.schemas.serde;

import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.wire.WireFormat;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

/**
 * Writes Avro records (generated specific classes or {@link org.apache.avro.generic.GenericRecord}s)
 * in the Confluent wire format, registering or looking up the record's schema in the registry once
 * per schema. A null record is written as null (a tombstone).
 *
 * @param <T> the record type
 */
public class AvroSerializer<T extends GenericContainer> implements Serializer<T> {

    private static final ThreadLocal<Buffer> BUFFERS = ThreadLocal.withInitial(Buffer::new);

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private AvroSerdeConfig config;
    private boolean isKey;
    private final Map<Schema, DatumWriter<Object>> writers = new ConcurrentHashMap<>();
    private final Map<SchemaOnTopic, Integer> ids = new ConcurrentHashMap<>();

    /** For Kafka's reflective instantiation; {@link #configure} connects to the registry. */
    public AvroSerializer() {
    }

    /** Uses a shared registry client; {@link #configure} still reads the serde settings. */
    public AvroSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.config = AvroSerdeConfig.from(configs);
        this.isKey = isKey;
        if (registry == null) {
            registry = new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
            ownsRegistry = true;
        }
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        Schema schema = record.getSchema();
        int id;
        try {
            id = ids.computeIfAbsent(new SchemaOnTopic(topic, schema), key -> schemaId(topic, schema));
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot get a schema id for " + schema.getFullName() + " on topic " + topic, e);
        }
        try {
            // A buffered encoder over an unsynchronized buffer, both reused by the calling thread:
            // a direct encoder over a ByteArrayOutputStream takes a lock for every byte it writes.
            Buffer buffer = BUFFERS.get();
            buffer.out.position(0);
            buffer.out.write(WireFormat.header(id));
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(buffer.out, buffer.encoder);
            buffer.encoder = encoder;
            writer(schema, record).write(record, encoder);
            encoder.flush();
            return Arrays.copyOf(buffer.out.buffer().array(), buffer.out.position());
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot encode " + schema.getFullName() + " for topic " + topic, e);
        }
    }

    /**
     * Resolves (registers or looks up, as configured) and remembers the id {@code schema} is written
     * with on {@code topic}, so that {@link #serialize} never calls the registry for it. An app calls
     * this for everything it writes before it starts processing, retrying while the registry cannot
     * answer; a serializer that needed the registry in the middle of a transaction would fail it.
     *
     * @throws dev.costmeter.schemas.registry.SchemaRegistryException when the registry refuses or
     *     cannot answer ({@link dev.costmeter.schemas.registry.SchemaRegistryUnavailableException})
     */
    public int prepare(String topic, Schema schema) {
        if (config == null) {
            throw new IllegalStateException("AvroSerializer used before configure()");
        }
        return ids.computeIfAbsent(new SchemaOnTopic(topic, schema), key -> schemaId(topic, schema));
    }

    private int schemaId(String topic, Schema schema) {
        String subject = config.subjectNameStrategy(isKey).subject(topic, isKey, schema);
        if (config.autoRegister()) {
            return registry.register(subject, schema);
        }
        if (config.useLatestVersion()) {
            return registry.latest(subject).id();
        }
        return registry.lookup(subject, schema).id();
    }

    private DatumWriter<Object> writer(Schema schema, T record) {
        return writers.computeIfAbsent(schema, s -> {
            if (PricedUsageWriter.matches(s)) {
                // The ledger row, written once per metered call: written field by field.
                return new PricedUsageWriter(s);
            }
            return record instanceof SpecificRecord
                    ? new SpecificDatumWriter<>(s, SpecificData.getForSchema(s))
                    : new GenericDatumWriter<>(s);
        });
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

    private record SchemaOnTopic(String topic, Schema schema) {
    }

    /** The calling thread's growable, lock-free buffer, and the encoder that last wrote into it. */
    private static final class Buffer {
        private final ByteBufferOutputStream out = new ByteBufferOutputStream(512);
        private BinaryEncoder encoder;
    }
}
