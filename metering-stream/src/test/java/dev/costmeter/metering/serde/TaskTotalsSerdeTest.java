package dev.costmeter.metering.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.metering.dedup.RecentEventIds;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskTotals;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class TaskTotalsSerdeTest {

    private static TaskTotals sample(String outcome, Long outcomeTime) {
        Map<String, ModelUsage> models = new HashMap<>();
        models.put("openai/gpt-4o", new ModelUsage(3L, 30_000_000L));
        models.put("anthropic/claude-sonnet-4-6", new ModelUsage(1L, 7L));
        return TaskTotals.newBuilder().setTaskId("t-1").setTenantId("acme").setTaskClass("agent-run").setRoute("research")
                .setCalls(4L).setRetries(1L).setFailures(1L).setResponseCacheHits(0L).setUnpricedCalls(0L)
                .setInputTokens(8_000L).setOutputTokens(2_000L).setCacheReadTokens(4_096L).setCacheWriteTokens(0L)
                .setCostNanos(30_000_007L).setSavingsNanos(0L).setToolCalls(2L).setModels(models)
                .setFirstSeen(1_764_236_400_000L).setLastSeen(1_764_236_460_000L)
                .setOutcome(outcome).setOutcomeTime(outcomeTime).setHumanCorrected(outcome != null).build();
    }

    @Test
    void shouldRoundTripTotalsWithAndWithoutAnOutcome() {
        Serde<TaskTotals> serde = TaskTotalsSerde.create();
        for (TaskTotals totals : new TaskTotals[] {sample(null, null), sample("SUCCESS", 1_764_236_470_000L)}) {
            assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", totals))).isEqualTo(totals);
        }
    }

    @Test
    void shouldRoundTripTheRecentEventIdsTheSpilledMarkAndNonAsciiText() {
        TaskTotals totals = sample(null, null);
        ByteBuffer ids = RecentEventIds.add(null, "ev-1".getBytes(StandardCharsets.UTF_8), 10_000L, 0L, 8);
        ids = RecentEventIds.add(ids, "ev-\u00e9".getBytes(StandardCharsets.UTF_8), 20_000L, 0L, 8);
        assertThat(ids.capacity()).isGreaterThan(ids.remaining()); // only the ids are written, not the room after them
        totals.setRecentEventIds(ids);
        totals.setDedupSpilled(true);
        totals.setTenantId("\u00e1cme \u6771\u4eac"); // not ASCII: written as UTF-8
        Serde<TaskTotals> serde = TaskTotalsSerde.create();

        TaskTotals read = serde.deserializer().deserialize("t", serde.serializer().serialize("t", totals));

        assertThat(read).isEqualTo(totals);
        assertThat(RecentEventIds.timeOf(read.getRecentEventIds(),
                "ev-\u00e9".getBytes(StandardCharsets.UTF_8))).isEqualTo(20_000L);
    }

    @Test
    void shouldWriteNumbersAsKafkasZigZagVarintsFromTheSmallestToTheLargest() {
        // Read back with Kafka's own varint decoder: state written before the hand-written encoder stays readable.
        long[] values = {0L, 1L, -1L, 63L, -64L, 64L, -65L, 127L, 128L, 300L, Integer.MAX_VALUE, Integer.MIN_VALUE,
                1L << 62, -(1L << 62), Long.MAX_VALUE, Long.MIN_VALUE};
        Serde<TaskTotals> serde = TaskTotalsSerde.create();
        for (long value : values) {
            TaskTotals totals = sample(null, null);
            totals.setCostNanos(value);
            totals.setSavingsNanos(-value);
            totals.setInputTokens(value);

            byte[] bytes = serde.serializer().serialize("t", totals);

            assertThat(serde.deserializer().deserialize("t", bytes)).isEqualTo(totals);
            ByteBuffer expected = ByteBuffer.allocate(10);
            org.apache.kafka.common.utils.ByteUtils.writeVarlong(value, expected);
            byte[] kafkas = java.util.Arrays.copyOf(expected.array(), expected.position());
            assertThat(containsAt(bytes, kafkas)).as("Kafka's encoding of %d", value).isTrue();
        }
    }

    private static boolean containsAt(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldReadBinaryFormatTwoAsSpilledWithNoIds() throws Exception {
        TaskTotals totals = sample("SUCCESS", 5L);

        TaskTotals read = TaskTotalsSerde.create().deserializer().deserialize("t", formatTwo(totals));

        totals.setDedupSpilled(true);
        assertThat(read).isEqualTo(totals);
    }

    /** Format 2 as the previous writer wrote it. */
    private static byte[] formatTwo(TaskTotals t) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(2);
        out.writeUTF(t.getTaskId());
        out.writeUTF(t.getTenantId());
        out.writeUTF(t.getTaskClass());
        out.writeUTF(t.getRoute());
        for (long value : new long[] {t.getCalls(), t.getRetries(), t.getFailures(), t.getResponseCacheHits(),
            t.getUnpricedCalls(), t.getInputTokens(), t.getOutputTokens(), t.getCacheReadTokens(), t.getCacheWriteTokens(),
            t.getCostNanos(), t.getSavingsNanos(), t.getToolCalls()}) {
            out.writeLong(value);
        }
        out.writeInt(t.getModels().size());
        for (Map.Entry<String, ModelUsage> model : t.getModels().entrySet()) {
            out.writeUTF(model.getKey());
            out.writeLong(model.getValue().getCalls());
            out.writeLong(model.getValue().getCostNanos());
        }
        out.writeLong(t.getFirstSeen());
        out.writeLong(t.getLastSeen());
        out.writeBoolean(t.getOutcome() != null);
        if (t.getOutcome() != null) {
            out.writeUTF(t.getOutcome());
        }
        out.writeBoolean(t.getOutcomeTime() != null);
        if (t.getOutcomeTime() != null) {
            out.writeLong(t.getOutcomeTime());
        }
        out.writeBoolean(t.getHumanCorrected());
        return bytes.toByteArray();
    }

    @Test
    void shouldStillReadStateWrittenInTheAvroFormatWithTheFirstStateSchema() throws Exception {
        TaskTotals totals = sample("FAILURE", 1L);
        Schema v1 = TaskTotalsSerde.stateSchemaV1();
        GenericData.Record old = new GenericData.Record(v1);
        for (Schema.Field field : v1.getFields()) {
            Object value = totals.get(totals.getSchema().getField(field.name()).pos());
            if (field.name().equals("models")) {
                Map<String, GenericData.Record> models = new HashMap<>();
                totals.getModels().forEach((model, usage) -> {
                    GenericData.Record record = new GenericData.Record(field.schema().getValueType());
                    record.put("calls", usage.getCalls());
                    record.put("cost_nanos", usage.getCostNanos());
                    models.put(model, record);
                });
                value = models;
            }
            old.put(field.name(), value);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(1);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(bytes, null);
        new GenericDatumWriter<GenericData.Record>(v1).write(old, encoder);
        encoder.flush();

        TaskTotals read = TaskTotalsSerde.create().deserializer().deserialize("t", bytes.toByteArray());

        totals.setDedupSpilled(true);
        assertThat(read).isEqualTo(totals);
    }

    @Test
    void shouldRejectAnUnknownFormat() {
        assertThatThrownBy(() -> TaskTotalsSerde.create().deserializer().deserialize("t", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format 9");
    }
}
