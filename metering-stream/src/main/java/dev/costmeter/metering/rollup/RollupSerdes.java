package dev.costmeter.metering.rollup;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Fixed-width binary serdes for rollup state and deltas. They are internal (state stores,
 * changelogs and one repartition topic), hot (every call touches several), and plain longs: a
 * format-version byte followed by big-endian longs costs a few nanoseconds where Avro costs
 * microseconds.
 *
 * <p>Format 2 appends the six lever fields of {@link Counters}. Format 1 is still read, the lever
 * fields as 0: stores, changelogs and the repartition topic hold v1 records after an upgrade, and
 * corrections are built in v1 ({@code CorrectionDeltas}).
 */
public final class RollupSerdes {

    private static final byte FORMAT_V1 = 1;
    private static final byte FORMAT_V2 = 2;

    private RollupSerdes() {
    }

    public static Serde<Counters> counters() {
        Serializer<Counters> serializer = (topic, counters) -> {
            if (counters == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + Counters.BYTES).put(FORMAT_V2);
            counters.writeTo(buffer);
            return buffer.array();
        };
        Deserializer<Counters> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            return read(bytes, 0);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    public static Serde<RollupDelta> deltas() {
        Serializer<RollupDelta> serializer = (topic, delta) -> {
            if (delta == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + Long.BYTES + Counters.BYTES).put(FORMAT_V2).putLong(delta.minuteStart());
            delta.counters().writeTo(buffer);
            return buffer.array();
        };
        Deserializer<RollupDelta> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            Counters counters = read(bytes, Long.BYTES);
            return new RollupDelta(ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong(), counters);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** The counters after the format byte and {@code prefix} bytes, in format 1 or 2. */
    private static Counters read(byte[] bytes, int prefix) {
        if (bytes.length == 1 + prefix + Counters.BYTES && bytes[0] == FORMAT_V2) {
            return Counters.readFrom(ByteBuffer.wrap(bytes, 1 + prefix, Counters.BYTES));
        }
        if (bytes.length == 1 + prefix + Counters.BYTES_V1 && bytes[0] == FORMAT_V1) {
            return Counters.readV1From(ByteBuffer.wrap(bytes, 1 + prefix, Counters.BYTES_V1));
        }
        throw new SerializationException("Not a v1 or v2 rollup record: " + bytes.length + " bytes, format "
                + (bytes.length > 0 ? bytes[0] : -1));
    }
}
