package dev.costmeter.schemas.serde;

import static dev.costmeter.schemas.serde.RandomValues.number;
import static dev.costmeter.schemas.serde.RandomValues.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.Encoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class UsageEventReaderTest {

    private static final Schema SCHEMA = UsageEvent.getClassSchema();

    @Test
    void shouldApplyToTheCurrentUsageSchemaSoTheContractCannotChangeWithoutThisReader() {
        // Fails when UsageEvent.avsc changes: bring UsageEventReader's field order and FINGERPRINT up to date.
        assertThat(SchemaNormalization.parsingFingerprint64(SCHEMA)).isEqualTo(UsageEventReader.FINGERPRINT);
        assertThat(UsageEventReader.matches(SCHEMA)).isTrue();
    }

    @Test
    void shouldNotApplyToAnyOtherWriterSchema() {
        Schema withExtraField = new Schema.Parser().parse(SCHEMA.toString().replaceFirst(
                "\"fields\"\\s*:\\s*\\[", "\"fields\":[{\"name\":\"extra\",\"type\":\"long\",\"default\":0},"));
        Schema withOtherLogicalType = new Schema.Parser().parse(SCHEMA.toString().replace(
                "\"logicalType\":\"timestamp-millis\"", "\"logicalType\":\"timestamp-micros\""));

        assertThat(UsageEventReader.matches(withExtraField)).isFalse();
        assertThat(UsageEventReader.matches(withOtherLogicalType)).isFalse();
        assertThat(UsageEventReader.matches(PricedUsage.getClassSchema())).isFalse();
    }

    @Test
    void shouldReadExactlyWhatAvrosOwnReaderReadsForAnyEvent() throws IOException {
        SpecificDatumReader<UsageEvent> avro = new SpecificDatumReader<>(SCHEMA, SCHEMA, SpecificData.getForSchema(SCHEMA));
        UsageEventReader fast = new UsageEventReader();
        Random random = new Random(11);
        for (int i = 0; i < 2_000; i++) {
            UsageEvent event = randomEvent(random);
            // Maps in one block (Avro's usual encoder) and in blocks with byte sizes (its blocking encoder).
            for (boolean blocking : new boolean[] {false, true}) {
                byte[] bytes = bytes(event, blocking);
                UsageEvent expected = avro.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
                UsageEvent actual = fast.read(null, DecoderFactory.get().binaryDecoder(bytes, null));
                assertThat(actual).as("event %d (blocking %s): %s", i, blocking, event).isEqualTo(expected).isEqualTo(event);
            }
        }
    }

    @Test
    void shouldReadAnEventAfterOneWithAStringLongerThanTheScratchItKeeps() throws IOException {
        UsageEvent huge = randomEvent(new Random(5));
        huge.setLabels(Map.of("note", "x".repeat(200_000)));
        UsageEvent next = randomEvent(new Random(6));
        UsageEventReader reader = new UsageEventReader();

        assertThat(reader.read(null, DecoderFactory.get().binaryDecoder(bytes(huge, false), null))).isEqualTo(huge);
        assertThat(reader.read(null, DecoderFactory.get().binaryDecoder(bytes(next, false), null))).isEqualTo(next);
    }

    @Test
    void shouldHandOutOneStringPerNameAndTheRightStringWhateverTheNamesTableHolds() throws IOException {
        UsageEventReader reader = new UsageEventReader();
        UsageEvent first = randomEvent(new Random(8));
        first.setModel("gpt-4o-mini");
        first.setProvider("openai");
        UsageEvent second = randomEvent(new Random(9));
        second.setModel(new String("gpt-4o-mini"));
        second.setProvider(new String("openai"));

        UsageEvent a = reader.read(null, DecoderFactory.get().binaryDecoder(bytes(first, false), null));
        UsageEvent b = reader.read(null, DecoderFactory.get().binaryDecoder(bytes(second, false), null));
        assertThat(b.getModel()).isSameAs(a.getModel());
        assertThat(b.getProvider()).isSameAs(a.getProvider());
        assertThat(b.getTaskId()).isEqualTo(second.getTaskId());

        // Far more names than slots: names that share a slot replace each other, and each read is still its own name.
        UsageEventReader.Names names = new UsageEventReader.Names();
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < 4 * UsageEventReader.Names.SLOTS; i++) {
                String name = (i % 3 == 0 ? "t\u00e9nant-" : "route-") + i;
                byte[] utf8 = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] padded = java.util.Arrays.copyOf(utf8, utf8.length + 5); // only the given length counts
                assertThat(names.of(padded, utf8.length)).isEqualTo(name);
            }
        }
        String longName = "m".repeat(UsageEventReader.Names.MAX_NAME_BYTES + 1);
        byte[] longBytes = longName.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(names.of(longBytes, longBytes.length)).isEqualTo(longName).isNotSameAs(names.of(longBytes, longBytes.length));
        assertThat(names.of(new byte[0], 0)).isEmpty();
    }

    @Test
    void shouldRefuseAUnionBranchTheSchemaDoesNotHave() throws IOException {
        UsageEvent event = randomEvent(new Random(3));
        event.setPromptVersion(null);
        byte[] bytes = bytes(event, false);
        var decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        decoder.readString(); // event_id, event_time, tenant, task, class, route: then prompt_version's branch
        decoder.readLong();
        for (int i = 0; i < 4; i++) {
            decoder.readString();
        }
        int promptVersionBranch = bytes.length - decoder.inputStream().available();
        assertThat(bytes[promptVersionBranch]).isZero();
        bytes[promptVersionBranch] = 4; // zig-zag 2: a third branch of ["null", "string"]

        assertThatThrownBy(() -> new UsageEventReader().read(null, DecoderFactory.get().binaryDecoder(bytes, null)))
                .isInstanceOf(AvroTypeException.class).hasMessageContaining("branch 2");
    }

    private static byte[] bytes(UsageEvent event, boolean blocking) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Encoder encoder = blocking ? EncoderFactory.get().blockingBinaryEncoder(out, null)
                : EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<UsageEvent>(SCHEMA).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static UsageEvent randomEvent(Random random) {
        UsageEvent event = new UsageEvent();
        event.setEventId(text(random));
        event.setEventTime(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)));
        event.setTenantId(text(random));
        event.setTaskId(text(random));
        event.setTaskClass(text(random));
        event.setRoute(text(random));
        event.setPromptVersion(random.nextBoolean() ? null : text(random));
        event.setEndUserId(random.nextBoolean() ? null : text(random));
        event.setProvider(text(random));
        event.setModel(text(random));
        event.setInputTokens(number(random));
        event.setOutputTokens(number(random));
        event.setCacheReadTokens(number(random));
        event.setCacheWriteTokens(number(random));
        event.setReasoningTokens(number(random));
        event.setBatch(random.nextBoolean());
        event.setAttempt(random.nextInt());
        event.setStep(random.nextBoolean() ? null : random.nextInt());
        event.setToolName(random.nextBoolean() ? null : text(random));
        event.setToolArgsHash(random.nextBoolean() ? null : text(random));
        event.setPromptHash(random.nextBoolean() ? null : text(random));
        event.setStatus(CallStatus.values()[random.nextInt(CallStatus.values().length)]);
        event.setResponseCacheHit(random.nextBoolean());
        event.setLatencyMs(random.nextBoolean() ? null : random.nextInt());
        event.setProviderCostNanos(random.nextBoolean() ? null : number(random));
        Map<String, String> labels = new HashMap<>();
        for (int i = random.nextInt(6); i > 0; i--) {
            labels.put(text(random), text(random));
        }
        event.setLabels(labels);
        event.setCacheWrite1hTokens(number(random));
        event.setServiceTier(random.nextBoolean() ? null : text(random));
        Map<String, Long> requests = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            requests.put(text(random), number(random));
        }
        event.setRequestCounts(requests);
        return event;
    }
}
