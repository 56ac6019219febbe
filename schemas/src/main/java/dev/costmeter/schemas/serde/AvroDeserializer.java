package dev.costmeter.schemas.serde;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.wire.WireFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro. The writer's schema is fetched by id (once per id) and resolved
 * against the reader's schema, so records written with an older or newer compatible schema read
 * as the reader's type. A registry that cannot answer surfaces as a {@link SerializationException}
 * caused by {@link dev.costmeter.schemas.registry.SchemaRegistryUnavailableException} (retry the
 * record later), distinct from an id the registry says does not exist (the record is bad).
 *
 * <p>Constructed with a class, it always yields that generated type (its schema is the reader
 * schema), and only from writer schemas that name the same record (its full name or one of its
 * aliases): anything else is refused with {@link WrongRecordTypeException}, even where Avro could
 * resolve it. Without one, it yields {@link org.apache.avro.generic.GenericRecord}s, or the generated
 * class named by the writer schema when {@code specific.avro.reader=true}.
 *
 * @param <T> the record type
 */
public class AvroDeserializer<T> implements Deserializer<T> {

    private static final ThreadLocal<BinaryDecoder> DECODERS = new ThreadLocal<>();

    private final Class<? extends SpecificRecord> type;
    private final Schema readerSchema;
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean specific;
    private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
    /** Writer schema ids of another record type, remembered so each such record fails fast. */
    private final Map<Integer, String> foreignRecords = new ConcurrentHashMap<>();

    /** Generic or, with {@code specific.avro.reader=true}, specific by writer schema name. */
    public AvroDeserializer() {
        this(null, null);
    }

    /** Always reads as {@code type}. */
    public AvroDeserializer(Class<? extends SpecificRecord> type) {
        this(type, null);
    }

    /** Reads as {@code type} (or generic when null) through a shared registry client. */
    public AvroDeserializer(Class<? extends SpecificRecord> type, SchemaRegistryClient registry) {
        this.type = type;
        this.readerSchema = type == null ? null : SpecificData.get().getSchema(type);
        this.registry = registry;
        this.specific = type != null;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (type == null) {
            specific = AvroSerdeConfig.from(configs).specificReader();
        }
        if (registry == null) {
            registry = new RestSchemaRegistryClient(RegistryClientConfig.from(configs));
            ownsRegistry = true;
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("AvroDeserializer used before configure()");
        }
        int id = WireFormat.schemaId(data);
        String foreign = foreignRecords.get(id);
        if (foreign != null) {
            throw new WrongRecordTypeException(topic, id, readerSchema.getFullName(), foreign);
        }
        DatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id, this::newReader);
        } catch (ForeignRecord e) {
            foreignRecords.put(id, e.writerName);
            throw new WrongRecordTypeException(topic, id, readerSchema.getFullName(), e.writerName);
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot resolve writer schema id " + id + " for topic " + topic, e);
        }
        try {
            // The calling thread's decoder, pointed at this record's bytes.
            BinaryDecoder reused = DECODERS.get();
            BinaryDecoder decoder = DecoderFactory.get()
                    .binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, reused);
            if (decoder != reused) {
                DECODERS.set(decoder);
            }
            return reader.read(null, decoder);
        } catch (Exception e) {
            throw new SerializationException("Cannot decode a record with schema id " + id + " from topic " + topic, e);
        }
    }

    private DatumReader<T> newReader(int id) {
        Schema writer = registry.schemaById(id);
        if (!specific) {
            return new GenericDatumReader<>(writer);
        }
        Schema reader = readerSchema;
        if (reader != null && !sameRecord(writer, reader)) {
            throw new ForeignRecord(writer.getFullName());
        }
        if (reader == null) {
            Class<?> generated = SpecificData.get().getClass(writer);
            if (generated == null || generated == Object.class) {
                throw new SerializationException("No generated class for " + writer.getFullName()
                        + " on the classpath although specific.avro.reader=true");
            }
            reader = SpecificData.get().getSchema(generated);
        }
        if (UsageEvent.class.getName().equals(reader.getFullName()) && UsageEventReader.matches(writer)) {
            // The record every metered call arrives as, in the contract's own schema: read field by field.
            @SuppressWarnings("unchecked")
            DatumReader<T> usage = (DatumReader<T>) new UsageEventReader();
            return usage;
        }
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }

    /** Whether {@code writer} is the record {@code reader} describes: same full name, or one of its aliases. */
    static boolean sameRecord(Schema writer, Schema reader) {
        if (writer.getType() != reader.getType()) {
            return false;
        }
        if (writer.getType() != Schema.Type.RECORD) {
            return true;
        }
        return writer.getFullName().equals(reader.getFullName()) || reader.getAliases().contains(writer.getFullName());
    }

    /** Thrown inside the reader cache, so that a foreign writer schema is remembered, not retried. */
    private static final class ForeignRecord extends RuntimeException {
        private final String writerName;

        ForeignRecord(String writerName) {
            super(writerName, null, false, false);
            this.writerName = writerName;
        }
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }
}
