package dev.costmeter.metering.serde;

import dev.costmeter.metering.dedup.RecentEventIds;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskTotals;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary serde for task totals, the hottest state in metering (read and written for every call).
 * A format byte (3), then the fields in schema order; strings as modified UTF-8, nullable fields
 * behind a presence byte, the packed recent event ids as a length and their bytes.
 *
 * <p>It still reads the earlier formats, so existing state and changelogs stay readable: the generic
 * Avro state format (1, of the schema kept in {@code state-history/TaskTotals-v1.avsc}) and binary
 * format 2 (format 3 without the event id fields). Both come from before event ids were kept with
 * their task: they read as "spilled", so deduplication keeps consulting the dedup store for them.
 */
public final class TaskTotalsSerde {

    private static final byte FORMAT_AVRO = 1;
    private static final byte FORMAT_BINARY_V2 = 2;
    private static final byte FORMAT_BINARY = 3;

    private TaskTotalsSerde() {
    }

    public static Serde<TaskTotals> create() {
        Deserializer<TaskTotals> avro = InternalAvroSerde.reading(TaskTotals.class, stateSchemaV1());
        Serializer<TaskTotals> serializer = (topic, t) -> t == null ? null : write(t);
        Deserializer<TaskTotals> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length > 0 && bytes[0] == FORMAT_AVRO) {
                TaskTotals legacy = avro.deserialize(topic, bytes);
                legacy.setDedupSpilled(true);
                return legacy;
            }
            return read(bytes);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The schema task totals were written with in format 1. */
    static Schema stateSchemaV1() {
        try (InputStream in = TaskTotalsSerde.class.getResourceAsStream("/state-history/TaskTotals-v1.avsc")) {
            if (in == null) {
                throw new IllegalStateException("state-history/TaskTotals-v1.avsc is missing from the classpath");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            byte[] ids = RecentEventIds.bytesOf(t.getRecentEventIds());
            out.writeInt(ids.length);
            out.write(ids);
            out.writeBoolean(t.getDedupSpilled());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("Cannot encode task totals of " + t.getTaskId(), e);
        }
    }

    private static TaskTotals read(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte format = in.readByte();
            if (format != FORMAT_BINARY && format != FORMAT_BINARY_V2) {
                throw new SerializationException("Unknown task totals format " + format);
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
            if (format == FORMAT_BINARY) {
                byte[] ids = new byte[in.readInt()];
                in.readFully(ids);
                t.setRecentEventIds(ByteBuffer.wrap(ids));
                t.setDedupSpilled(in.readBoolean());
            } else {
                t.setRecentEventIds(ByteBuffer.wrap(RecentEventIds.EMPTY));
                t.setDedupSpilled(true);
            }
            return t;
        } catch (IOException e) {
            throw new SerializationException("Cannot decode task totals", e);
        }
    }
}
