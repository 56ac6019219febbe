package dev.costmeter.schemas.serde;

import static dev.costmeter.schemas.serde.RandomValues.number;
import static dev.costmeter.schemas.serde.RandomValues.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

class PricedUsageWriterTest {

    private static final Schema SCHEMA = PricedUsage.getClassSchema();

    @Test
    void shouldApplyToTheCurrentLedgerSchemaSoTheContractCannotChangeWithoutThisWriter() {
        // Fails when PricedUsage.avsc changes: bring PricedUsageWriter's field order and FINGERPRINT up to date.
        assertThat(PricedUsageWriter.matches(SCHEMA)).isTrue();
    }

    @Test
    void shouldNotApplyToAnyOtherSchema() {
        Schema withExtraField = new Schema.Parser().parse(SCHEMA.toString().replaceFirst(
                "\"fields\"\\s*:\\s*\\[", "\"fields\":[{\"name\":\"extra\",\"type\":\"long\",\"default\":0},"));
        Schema withoutLogicalType = new Schema.Parser().parse(SCHEMA.toString().replace(
                "\"logicalType\":\"timestamp-millis\"", "\"logicalType\":\"timestamp-micros\""));

        assertThat(PricedUsageWriter.matches(withExtraField)).isFalse();
        assertThat(PricedUsageWriter.matches(withoutLogicalType)).isFalse();
        assertThat(PricedUsageWriter.matches(dev.costmeter.contracts.UsageEvent.getClassSchema())).isFalse();
    }

    @Test
    void shouldWriteExactlyTheBytesOfAvrosOwnWriterForAnyRow() throws IOException {
        DatumWriter<Object> avro = new SpecificDatumWriter<>(SCHEMA, SpecificData.getForSchema(SCHEMA));
        PricedUsageWriter fast = new PricedUsageWriter(SCHEMA);
        Random random = new Random(7);
        for (int i = 0; i < 2_000; i++) {
            PricedUsage row = randomRow(random);
            assertThat(bytes(fast, row)).as("row %d: %s", i, row).isEqualTo(bytes(avro, row));
        }
    }

    @Test
    void shouldWriteAGenericRecordOfTheSameSchemaThroughAvrosWriter() throws IOException {
        PricedUsage row = randomRow(new Random(1));
        GenericRecord asGeneric = new GenericDatumReader<GenericRecord>(SCHEMA).read(null,
                DecoderFactory.get().binaryDecoder(bytes(new PricedUsageWriter(SCHEMA), row), null));

        assertThat(bytes(new PricedUsageWriter(SCHEMA), asGeneric)).isEqualTo(bytes(new PricedUsageWriter(SCHEMA), row));
        assertThat(asGeneric).isNotInstanceOf(PricedUsage.class);
    }

    private static byte[] bytes(DatumWriter<Object> writer, Object datum) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        writer.write(datum, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static PricedUsage randomRow(Random random) {
        PricedUsage row = new PricedUsage();
        row.setEventId(text(random));
        row.setEventTime(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)));
        row.setTenantId(text(random));
        row.setTaskId(text(random));
        row.setTaskClass(text(random));
        row.setRoute(text(random));
        row.setPromptVersion(random.nextBoolean() ? null : text(random));
        row.setEndUserId(random.nextBoolean() ? null : text(random));
        row.setProvider(text(random));
        row.setModel(text(random));
        row.setInputTokens(number(random));
        row.setOutputTokens(number(random));
        row.setCacheReadTokens(number(random));
        row.setCacheWriteTokens(number(random));
        row.setReasoningTokens(number(random));
        row.setBatch(random.nextBoolean());
        row.setAttempt(random.nextInt(1, 1_000));
        row.setStep(random.nextBoolean() ? null : random.nextInt());
        row.setToolName(random.nextBoolean() ? null : text(random));
        row.setStatus(CallStatus.values()[random.nextInt(CallStatus.values().length)]);
        row.setResponseCacheHit(random.nextBoolean());
        row.setCostNanos(number(random));
        row.setInputCostNanos(number(random));
        row.setOutputCostNanos(number(random));
        row.setCacheReadCostNanos(number(random));
        row.setCacheWriteCostNanos(number(random));
        row.setSavingsNanos(number(random));
        row.setPriced(random.nextBoolean());
        row.setPriceVersion(random.nextBoolean() ? null : text(random));
        row.setLongContext(random.nextBoolean());
        row.setProviderCostNanos(random.nextBoolean() ? null : number(random));
        Map<String, String> labels = new HashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            labels.put(text(random), text(random));
        }
        row.setLabels(labels);
        row.setPricedAt(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)));
        row.setCacheWrite1hTokens(number(random));
        row.setCacheWrite1hCostNanos(number(random));
        row.setServiceTier(random.nextBoolean() ? null : text(random));
        Map<String, Long> requests = new HashMap<>();
        for (int i = random.nextInt(3); i > 0; i--) {
            requests.put(text(random), number(random));
        }
        row.setRequestCounts(requests);
        row.setRequestFeesCostNanos(number(random));
        row.setUnpricedReason(random.nextBoolean() ? null : text(random));
        row.setCacheSavingsNanos(number(random));
        row.setBatchSavingsNanos(number(random));
        return row;
    }
}
