package dev.costmeter.metering.serde;

import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskTotals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde for task totals, the hottest state in metering (read and written for every call).
 * A format byte (2), then the fields in schema order; strings as modified UTF-8, nullable fields
 * behind a presence byte. It replaces the generic Avro state format (1), which it still reads, so
 * existing state and changelogs stay readable.
 */
public final class TaskTotalsSerde {

    private static final byte FORMAT_AVRO = 1;
    private static final byte FORMAT_BINARY = 2;

    private TaskTotalsSerde() {
    }

    public static Serde<TaskTotals> create() {
        Serde<TaskTotals> avro = InternalAvroSerde.of(TaskTotals.class);
        Serializer<TaskTotals> serializer = (topic, t) -> t == null ? null : write(t);
        Deserializer<TaskTotals> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == FORMAT_AVRO) {
                return avro.deserializer().deserialize(topic, bytes);
            }
            return read(bytes);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static byte[] write(TaskTotals t) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(160);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_BINARY);
            out.writeUTF(t.getTaskId());
            out.writeUTF(t.getTenantId());
            out.writeUTF(t.getTaskClass());
            out.writeUTF(t.getRoute());
            out.writeLong(t.getCalls());
            out.writeLong(t.getRetries());
            out.writeLong(t.getFailures());
            out.writeLong(t.getResponseCacheHits());
            out.writeLong(t.getUnpricedCalls());
            out.writeLong(t.getInputTokens());
            out.writeLong(t.getOutputTokens());
            out.writeLong(t.getCacheReadTokens());
            out.writeLong(t.getCacheWriteTokens());
            out.writeLong(t.getCostNanos());
            out.writeLong(t.getSavingsNanos());
            out.writeLong(t.getToolCalls());
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
        } catch (IOException e) {
            throw new SerializationException("Cannot encode task totals of " + t.getTaskId(), e);
        }
    }

    private static TaskTotals read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readByte() != FORMAT_BINARY) {
                throw new SerializationException("Unknown task totals format " + bytes[0]);
            }
            TaskTotals t = new TaskTotals();
            t.setTaskId(in.readUTF());
            t.setTenantId(in.readUTF());
            t.setTaskClass(in.readUTF());
            t.setRoute(in.readUTF());
            t.setCalls(in.readLong());
            t.setRetries(in.readLong());
            t.setFailures(in.readLong());
            t.setResponseCacheHits(in.readLong());
            t.setUnpricedCalls(in.readLong());
            t.setInputTokens(in.readLong());
            t.setOutputTokens(in.readLong());
            t.setCacheReadTokens(in.readLong());
            t.setCacheWriteTokens(in.readLong());
            t.setCostNanos(in.readLong());
            t.setSavingsNanos(in.readLong());
            t.setToolCalls(in.readLong());
            int models = in.readInt();
            Map<String, ModelUsage> usage = new HashMap<>(Math.max(4, models * 2));
            for (int i = 0; i < models; i++) {
                usage.put(in.readUTF(), new ModelUsage(in.readLong(), in.readLong()));
            }
            t.setModels(usage);
            t.setFirstSeen(in.readLong());
            t.setLastSeen(in.readLong());
            t.setOutcome(in.readBoolean() ? in.readUTF() : null);
            t.setOutcomeTime(in.readBoolean() ? in.readLong() : null);
            t.setHumanCorrected(in.readBoolean());
            return t;
        } catch (IOException e) {
            throw new SerializationException("Cannot decode task totals", e);
        }
    }
}
