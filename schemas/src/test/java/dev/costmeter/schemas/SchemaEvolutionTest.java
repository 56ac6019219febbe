package dev.costmeter.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every schema version ever released is kept under {@code schema-history/<Record>/vN.avsc}; data
 * written with any of them must read with the current generated class (BACKWARD compatibility).
 */
class SchemaEvolutionTest {

    static Stream<Arguments> releasedVersions() throws IOException {
        List<Arguments> versions = new ArrayList<>();
        for (Contracts.Contract contract : Contracts.ALL) {
            String name = contract.type().getSimpleName();
            for (int v = 1; ; v++) {
                Schema old = history(name, v);
                if (old == null) {
                    assertThat(v).as("released versions of %s", name).isGreaterThan(1);
                    break;
                }
                versions.add(Arguments.of(name + " v" + v, old, contract));
            }
        }
        return versions.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedVersions")
    void shouldBeReadableByTheCurrentSchemaAccordingToAvro(String version, Schema old, Contracts.Contract current) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current.schema(), old);
        assertThat(result.getType())
                .as("%s read by the current schema: %s", version, result.getDescription())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedVersions")
    void shouldDecodeDataWrittenWithAReleasedVersionIntoTheCurrentClass(String version, Schema old,
            Contracts.Contract current) throws IOException {
        for (Object datum : new RandomData(old, 50, 20261127L)) {
            GenericRecord written = (GenericRecord) datum;
            byte[] bytes = write(old, written);

            SpecificDatumReader<SpecificRecord> reader =
                    new SpecificDatumReader<>(old, current.schema(), SpecificData.getForSchema(current.schema()));
            SpecificRecord read = reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null));

            assertThat(read).isInstanceOf(current.type());
            for (Schema.Field field : old.getFields()) {
                Schema.Field now = current.schema().getField(field.name());
                if (now != null && field.schema().getType() != Schema.Type.RECORD
                        && field.schema().getType() != Schema.Type.ARRAY && field.schema().getType() != Schema.Type.UNION) {
                    assertThat(String.valueOf(normalize(read.get(now.pos()))))
                            .as("%s field %s", version, field.name())
                            .isEqualTo(String.valueOf(normalize(written.get(field.name()))));
                }
            }
        }
    }

    private static Object normalize(Object value) {
        // The current class maps timestamp-millis to Instant; the old generic record holds the raw long.
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        if (value instanceof java.util.Map<?, ?> map) {
            // Map order is not part of the data.
            java.util.Map<String, String> sorted = new java.util.TreeMap<>();
            map.forEach((k, v) -> sorted.put(String.valueOf(k), String.valueOf(v)));
            return sorted;
        }
        return value;
    }

    private static byte[] write(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static Schema history(String name, int version) throws IOException {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream("/schema-history/" + name + "/v" + version + ".avsc")) {
            return in == null ? null : new Schema.Parser().parse(in);
        }
    }
}
