package dev.costmeter.schemas.wire;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent Schema Registry wire format: one magic byte {@code 0}, the schema id as a 4-byte
 * big-endian integer, then the Avro binary encoding of the record.
 *
 * <p>Any Confluent-compatible producer or consumer, in any language, reads and writes this framing.
 */
public final class WireFormat {

    /** The only magic byte defined by the format. */
    public static final byte MAGIC_BYTE = 0x0;

    /** Bytes in front of the Avro payload: magic byte plus schema id. */
    public static final int HEADER_SIZE = 1 + Integer.BYTES;

    private WireFormat() {
    }

    /** Writes the 5-byte header for {@code schemaId} into {@code buffer} at its position. */
    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }

    /** Returns a fresh 5-byte header for {@code schemaId}. */
    public static byte[] header(int schemaId) {
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE);
        writeHeader(buffer, schemaId);
        return buffer.array();
    }

    /**
     * Reads the schema id from a framed payload.
     *
     * @throws SerializationException when the payload is too short or does not start with the magic byte
     */
    public static int schemaId(byte[] payload) {
        if (payload == null || payload.length < HEADER_SIZE) {
            throw new SerializationException("Not in the Confluent wire format: "
                    + (payload == null ? "null payload" : payload.length + " bytes, need at least " + HEADER_SIZE));
        }
        if (payload[0] != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + payload[0] + "; expected " + MAGIC_BYTE);
        }
        return ByteBuffer.wrap(payload, 1, Integer.BYTES).getInt();
    }
}
