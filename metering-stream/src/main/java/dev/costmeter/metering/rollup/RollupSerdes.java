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
 */
public final class RollupSerdes {

    private static final byte FORMAT_V1 = 1;

    private RollupSerdes() {
    }

    public static Serde<Counters> counters() {
        Serializer<Counters> serializer = (topic, counters) -> {
            if (counters == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + Counters.BYTES).put(FORMAT_V1);
            counters.writeTo(buffer);
            return buffer.array();
        };
        Deserializer<Counters> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = checked(bytes, 1 + Counters.BYTES);
            return Counters.readFrom(buffer);
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    public static Serde<RollupDelta> deltas() {
        Serializer<RollupDelta> serializer = (topic, delta) -> {
            if (delta == null) {
                return null;
            }
            ByteBuffer buffer = ByteBuffer.allocate(1 + Long.BYTES + Counters.BYTES).put(FORMAT_V1).putLong(delta.minuteStart());
            delta.counters().writeTo(buffer);
            return buffer.array();
        };
        Deserializer<RollupDelta> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            ByteBuffer buffer = checked(bytes, 1 + Long.BYTES + Counters.BYTES);
            long minute = buffer.getLong();
            return new RollupDelta(minute, Counters.readFrom(buffer));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    private static ByteBuffer checked(byte[] bytes, int expectedLength) {
        if (bytes.length != expectedLength || bytes[0] != FORMAT_V1) {
            throw new SerializationException("Not a v1 rollup record: " + bytes.length + " bytes, format "
                    + (bytes.length > 0 ? bytes[0] : -1));
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.get();
        return buffer;
    }
}
