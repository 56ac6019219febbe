package dev.costmeter.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.Contracts;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.serde.GenericAvroSerde;
import dev.costmeter.schemas.serde.SpecificAvroSerde;
import dev.costmeter.schemas.wire.WireFormat;
import java.io.IOException;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.RandomData;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Serdes against the real registry server (its in-memory store): every contract, both directions of evolution. */
class AvroSerdeRoundTripTest {

    private static SchemaRegistryServer server;
    private static Map<String, Object> config;

    @BeforeAll
    static void startRegistry() throws IOException {
        server = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
        config = Map.of(RegistryClientConfig.URL, server.baseUri().toString());
    }

    @AfterAll
    static void stopRegistry() {
        server.close();
    }

    static Stream<Contracts.Contract> contracts() {
        return Contracts.ALL.stream();
    }

    @ParameterizedTest
    @MethodSource("contracts")
    @SuppressWarnings("unchecked")
    void shouldRoundTripEveryContractThroughTheRegistry(Contracts.Contract contract) {
        String topic = "roundtrip." + contract.type().getSimpleName();
        try (GenericAvroSerde generic = new GenericAvroSerde();
                SpecificAvroSerde<SpecificRecord> specific = new SpecificAvroSerde<>((Class<SpecificRecord>) contract.type())) {
            generic.configure(config, false);
            specific.configure(config, false);
            for (Object datum : new RandomData(contract.schema(), 20, 7L)) {
                byte[] written = generic.serializer().serialize(topic, (GenericRecord) datum);
                SpecificRecord read = specific.deserializer().deserialize(topic, written);
                assertThat(read).isInstanceOf(contract.type());
                // Re-encoding the typed record and reading it again gives an equal record of the same size:
                // nothing was lost or changed (maps may come back in another order, so bytes are not compared).
                byte[] again = specific.serializer().serialize(topic, read);
                assertThat(again).hasSameSizeAs(written);
                assertThat(specific.deserializer().deserialize(topic, again)).isEqualTo(read);
            }
        }
    }

    @Test
    void shouldReadRecordsWrittenWithAnOlderAndANewerWriterSchema() {
        Schema current = UsageEvent.getClassSchema();
        Schema older = withoutField(current, "labels");
        Schema newer = withExtraField(current);
        String topic = "evolution.usage";
        AvroDeserializer<UsageEvent> reader = new AvroDeserializer<>(UsageEvent.class);
        reader.configure(config, false);
        try (GenericAvroSerde writer = new GenericAvroSerde()) {
            writer.configure(config, false);
            GenericRecord old = sample(older);
            GenericRecord next = sample(newer);
            next.put("carbon_grams", 12L);

            UsageEvent fromOld = reader.deserialize(topic, writer.serializer().serialize(topic, old));
            UsageEvent fromNew = reader.deserialize(topic, writer.serializer().serialize(topic, next));

            assertThat(fromOld.getEventId()).isEqualTo("e-1");
            assertThat(fromOld.getLabels()).isEmpty();
            assertThat(fromNew.getEventId()).isEqualTo("e-1");
            assertThat(fromNew.getInputTokens()).isEqualTo(2_000L);
        }
    }

    @Test
    void shouldRefuseToRegisterAnIncompatibleSchemaUnderTheSameSubject() {
        Schema breaking = SchemaBuilder.record("UsageEvent").namespace("dev.costmeter.contracts").fields()
                .requiredString("event_id").requiredLong("unrelated_required_field").endRecord();
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.from(config))) {
            client.register("compat.usage-value", UsageEvent.getClassSchema());
            assertThatThrownBy(() -> client.register("compat.usage-value", breaking))
                    .isInstanceOf(SchemaRegistryException.class)
                    .satisfies(e -> assertThat(((SchemaRegistryException) e).status()).isEqualTo(409));
        }
    }

    @Test
    void shouldFailToDecodeAnUnknownSchemaIdWithASerializationException() {
        AvroDeserializer<UsageEvent> reader = new AvroDeserializer<>(UsageEvent.class);
        reader.configure(config, false);
        byte[] unknownId = {WireFormat.MAGIC_BYTE, 0, 0, 0x30, 0x39, 2, 'x'};
        assertThatThrownBy(() -> reader.deserialize("any", unknownId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema id 12345");
    }

    @Test
    void shouldWriteNullAsATombstone() {
        AvroSerializer<UsageEvent> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        assertThat(serializer.serialize("any", null)).isNull();
    }

    private static GenericRecord sample(Schema schema) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            if (field.hasDefaultValue()) {
                record.put(field.name(), GenericData.get().deepCopy(field.schema(), GenericData.get().getDefaultValue(field)));
            }
        }
        record.put("event_id", "e-1");
        record.put("event_time", 1_764_236_400_000L);
        record.put("tenant_id", "acme");
        record.put("task_id", "t-1");
        record.put("task_class", "support-answer");
        record.put("route", "chat");
        record.put("provider", "openai");
        record.put("model", "gpt-4o");
        record.put("input_tokens", 2_000L);
        record.put("output_tokens", 500L);
        return record;
    }

    private static Schema withoutField(Schema schema, String dropped) {
        return rebuilt(schema, schema.getFields().stream().filter(f -> !f.name().equals(dropped)).toList(), null);
    }

    private static Schema withExtraField(Schema schema) {
        return rebuilt(schema, schema.getFields(),
                new Schema.Field("carbon_grams", Schema.create(Schema.Type.LONG), "A field a future producer adds.", 0L));
    }

    private static Schema rebuilt(Schema schema, java.util.List<Schema.Field> fields, Schema.Field extra) {
        java.util.List<Schema.Field> copies = new java.util.ArrayList<>();
        for (Schema.Field f : fields) {
            copies.add(new Schema.Field(f, f.schema()));
        }
        if (extra != null) {
            copies.add(extra);
        }
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, copies);
    }
}
