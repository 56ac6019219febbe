package dev.costmeter.metering.dedup;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A task's recent event ids, packed into one byte array kept inside its task totals: for each id,
 * its length (two bytes), its UTF-8 bytes and its event time (eight bytes). Looking an id up scans
 * the bytes without decoding them, and the block is copied, not parsed, when task totals are read
 * or written.
 */
public final class RecentEventIds {

    /** No ids. */
    public static final byte[] EMPTY = new byte[0];
    /** The longest id that fits in the block; a longer one is kept in the dedup store. */
    public static final int MAX_ID_BYTES = 0xFFFF;

    private static final int LENGTH_BYTES = 2;
    private static final int TIME_BYTES = 8;

    private RecentEventIds() {
    }

    /** The event time kept with {@code id}, or {@code null} when the block does not hold it. */
    public static Long timeOf(byte[] block, byte[] id) {
        int at = 0;
        while (at < block.length) {
            int length = length(block, at);
            int start = at + LENGTH_BYTES;
            if (length == id.length && Arrays.equals(block, start, start + length, id, 0, length)) {
                return ByteBuffer.wrap(block, start + length, TIME_BYTES).getLong();
            }
            at = start + length + TIME_BYTES;
        }
        return null;
    }

    /** How many ids the block holds. */
    public static int count(byte[] block) {
        int count = 0;
        for (int at = 0; at < block.length; at += LENGTH_BYTES + length(block, at) + TIME_BYTES) {
            count++;
        }
        return count;
    }

    /**
     * The block without the ids whose time is before {@code cutoff}, with {@code id} added; or
     * {@code null} when the id is too long or the block would then hold more than {@code maxIds}.
     */
    public static byte[] add(byte[] block, byte[] id, long time, long cutoff, int maxIds) {
        if (id.length > MAX_ID_BYTES || maxIds <= 0) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(block.length + LENGTH_BYTES + id.length + TIME_BYTES);
        int kept = 0;
        int at = 0;
        while (at < block.length) {
            int entry = LENGTH_BYTES + length(block, at) + TIME_BYTES;
            long entryTime = ByteBuffer.wrap(block, at + entry - TIME_BYTES, TIME_BYTES).getLong();
            if (entryTime >= cutoff) {
                out.put(block, at, entry);
                kept++;
            }
            at += entry;
        }
        if (kept >= maxIds) {
            return null;
        }
        out.putShort((short) id.length).put(id).putLong(time);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The bytes of an Avro {@code bytes} field, without copying when they are a whole array. */
    public static byte[] bytesOf(ByteBuffer buffer) {
        if (buffer == null) {
            return EMPTY;
        }
        if (buffer.hasArray() && buffer.arrayOffset() == 0 && buffer.position() == 0
                && buffer.remaining() == buffer.array().length) {
            return buffer.array();
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }

    private static int length(byte[] block, int at) {
        return ((block[at] & 0xFF) << 8) | (block[at + 1] & 0xFF);
    }
}
