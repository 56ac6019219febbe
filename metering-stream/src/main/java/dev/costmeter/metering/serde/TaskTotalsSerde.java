package dev.costmeter.metering.serde;

import dev.costmeter.metering.dedup.RecentEventIds;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskTotals;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.ByteUtils;

/**
 * Binary serde for task totals, the hottest state in metering (read and written for every call).
 * A format byte (3), then the fields in schema order: numbers as zig-zag varints (Kafka's record
 * encoding), strings and the packed recent event ids as a varint length and their bytes, nullable
 * fields behind a presence byte. Written into one buffer of the exact size.
 *
 * <p>It still reads the earlier formats, so existing state and changelogs stay readable: the generic
 * Avro state format (1, of the schema kept in {@code state-history/TaskTotals-v1.avsc}) and binary
 * format 2 (strings in modified UTF-8, no event id fields). Both come from before event ids were kept with
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
        Writer out = WRITERS.get();
        out.reset();
        out.put(FORMAT_BINARY);
        out.string(t.getTaskId());
        out.string(t.getTenantId());
        out.string(t.getTaskClass());
        out.string(t.getRoute());
        out.varlong(t.getCalls());
        out.varlong(t.getRetries());
        out.varlong(t.getFailures());
        out.varlong(t.getResponseCacheHits());
        out.varlong(t.getUnpricedCalls());
        out.varlong(t.getInputTokens());
        out.varlong(t.getOutputTokens());
        out.varlong(t.getCacheReadTokens());
        out.varlong(t.getCacheWriteTokens());
        out.varlong(t.getCostNanos());
        out.varlong(t.getSavingsNanos());
        out.varlong(t.getToolCalls());
        out.varlong(t.getModels().size());
        for (Map.Entry<String, ModelUsage> model : t.getModels().entrySet()) {
            out.string(model.getKey());
            out.varlong(model.getValue().getCalls());
            out.varlong(model.getValue().getCostNanos());
        }
        out.varlong(t.getFirstSeen());
        out.varlong(t.getLastSeen());
        out.put(t.getOutcome() == null ? 0 : 1);
        if (t.getOutcome() != null) {
            out.string(t.getOutcome());
        }
        out.put(t.getOutcomeTime() == null ? 0 : 1);
        out.varlong(t.getOutcomeTime() == null ? 0L : t.getOutcomeTime());
        out.put(t.getHumanCorrected() ? 1 : 0);
        ByteBuffer ids = t.getRecentEventIds();
        if (ids == null || !ids.hasArray()) {
            byte[] copy = RecentEventIds.bytesOf(ids);
            ids = ByteBuffer.wrap(copy);
        }
        out.varlong(ids.remaining());
        out.bytes(ids.array(), ids.arrayOffset() + ids.position(), ids.remaining());
        out.put(t.getDedupSpilled() ? 1 : 0);
        return out.toByteArray();
    }

    private static final ThreadLocal<Writer> WRITERS = ThreadLocal.withInitial(Writer::new);

    /**
     * The calling thread's scratch buffer, written with Kafka's varint encoding (zig-zag, then seven
     * bits a byte, as {@code ByteUtils.writeVarlong}). Written by hand into a plain array: through a
     * {@code ByteBuffer} the varints alone took 4% of metering's stream thread (JFR, default shape),
     * since every task totals record changed in a commit interval is encoded.
     */
    private static final class Writer {
        private byte[] buffer = new byte[1024];
        private int position;

        void reset() {
            position = 0;
        }

        private void ensure(int bytes) {
            if (position + bytes > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + bytes));
            }
        }

        void put(int b) {
            ensure(1);
            buffer[position++] = (byte) b;
        }

        void varlong(long value) {
            ensure(10);
            long v = (value << 1) ^ (value >> 63);
            while ((v & 0xFFFFFFFFFFFFFF80L) != 0L) {
                buffer[position++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buffer[position++] = (byte) v;
        }

        void string(String value) {
            int length = value.length();
            for (int i = 0; i < length; i++) {
                if (value.charAt(i) >= 0x80) {
                    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                    varlong(utf8.length);
                    bytes(utf8, 0, utf8.length);
                    return;
                }
            }
            // ASCII, as ids and names nearly always are, is its own UTF-8: no array of its bytes is made.
            varlong(length);
            ensure(length);
            for (int i = 0; i < length; i++) {
                buffer[position + i] = (byte) value.charAt(i);
            }
            position += length;
        }

        void bytes(byte[] bytes, int offset, int length) {
            ensure(length);
            System.arraycopy(bytes, offset, buffer, position, length);
            position += length;
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buffer, position);
        }
    }

    private static String getString(ByteBuffer in) {
        int length = ByteUtils.readVarint(in);
        String value = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return value;
    }

    private static TaskTotals read(byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == FORMAT_BINARY_V2) {
            return readFormatTwo(bytes);
        }
        if (bytes.length == 0 || bytes[0] != FORMAT_BINARY) {
            throw new SerializationException("Unknown task totals format " + (bytes.length == 0 ? "(empty)" : bytes[0]));
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(bytes, 1, bytes.length - 1);
            TaskTotals t = new TaskTotals();
            t.setTaskId(getString(in));
            t.setTenantId(getString(in));
            t.setTaskClass(getString(in));
            t.setRoute(getString(in));
            t.setCalls(ByteUtils.readVarlong(in));
            t.setRetries(ByteUtils.readVarlong(in));
            t.setFailures(ByteUtils.readVarlong(in));
            t.setResponseCacheHits(ByteUtils.readVarlong(in));
            t.setUnpricedCalls(ByteUtils.readVarlong(in));
            t.setInputTokens(ByteUtils.readVarlong(in));
            t.setOutputTokens(ByteUtils.readVarlong(in));
            t.setCacheReadTokens(ByteUtils.readVarlong(in));
            t.setCacheWriteTokens(ByteUtils.readVarlong(in));
            t.setCostNanos(ByteUtils.readVarlong(in));
            t.setSavingsNanos(ByteUtils.readVarlong(in));
            t.setToolCalls(ByteUtils.readVarlong(in));
            int models = ByteUtils.readVarint(in);
            Map<String, ModelUsage> usage = new HashMap<>(Math.max(4, models * 2));
            for (int i = 0; i < models; i++) {
                usage.put(getString(in), new ModelUsage(ByteUtils.readVarlong(in), ByteUtils.readVarlong(in)));
            }
            t.setModels(usage);
            t.setFirstSeen(ByteUtils.readVarlong(in));
            t.setLastSeen(ByteUtils.readVarlong(in));
            t.setOutcome(in.get() == 1 ? getString(in) : null);
            boolean hasOutcomeTime = in.get() == 1;
            long outcomeTime = ByteUtils.readVarlong(in);
            t.setOutcomeTime(hasOutcomeTime ? outcomeTime : null);
            t.setHumanCorrected(in.get() == 1);
            byte[] ids = new byte[ByteUtils.readVarint(in)];
            in.get(ids);
            t.setRecentEventIds(ByteBuffer.wrap(ids));
            t.setDedupSpilled(in.get() == 1);
            return t;
        } catch (RuntimeException e) {
            throw new SerializationException("Cannot decode task totals", e);
        }
    }

    /** Format 2: format 3's fields up to human_corrected, strings in modified UTF-8 (DataOutput). */
    private static TaskTotals readFormatTwo(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            in.readByte();
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
            t.setRecentEventIds(ByteBuffer.wrap(RecentEventIds.EMPTY));
            t.setDedupSpilled(true);
            return t;
        } catch (IOException e) {
            throw new SerializationException("Cannot decode task totals", e);
        }
    }
}
