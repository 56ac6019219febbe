package dev.costmeter.metering.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro for the app's own state: a format byte, then Avro binary of the one schema compiled into the
 * app. State and changelogs are private to the app, so they need no registry round trip; the
 * format byte leaves room for a migration when the state schema changes.
 */
public final class InternalAvroSerde {

    private static final byte FORMAT_V1 = 1;

    private InternalAvroSerde() {
    }

    public static <T extends SpecificRecord> Serde<T> of(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificData model = SpecificData.getForSchema(schema);
        SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema, model);
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream(128);
                out.write(FORMAT_V1);
                BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
                writer.write(value, encoder);
                encoder.flush();
                return out.toByteArray();
            } catch (IOException e) {
                throw new SerializationException("Cannot encode " + type.getSimpleName(), e);
            }
        };
        Deserializer<T> deserializer = reading(type, schema);
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /**
     * A deserializer of state in the Avro format written with an earlier {@code writerSchema} of
     * {@code type}, resolved to the current one (fields added since take their defaults).
     */
    public static <T extends SpecificRecord> Deserializer<T> reading(Class<T> type, Schema writerSchema) {
        Schema schema = SpecificData.get().getSchema(type);
        SpecificDatumReader<T> reader = new SpecificDatumReader<>(writerSchema, schema, SpecificData.getForSchema(schema));
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != FORMAT_V1) {
                throw new SerializationException("Unknown state format for " + type.getSimpleName());
            }
            try {
                return reader.read(null, DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, null));
            } catch (IOException | RuntimeException e) {
                throw new SerializationException("Cannot decode " + type.getSimpleName(), e);
            }
        };
    }
}
