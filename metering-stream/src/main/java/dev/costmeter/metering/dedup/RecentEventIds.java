package dev.costmeter.metering.dedup;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A task's recent event ids, packed into one byte array kept inside its task totals: for each id,
 * its length (one byte, or three: 0xFF and two bytes), its UTF-8 bytes and its event time in whole
 * seconds (four bytes, unsigned). Looking an id up scans the bytes without decoding them, and the
 * block is copied, not parsed, when task totals are read or written. Times are kept to the second:
 * a copy of an event has its time, so it is always recognised.
 */
public final class RecentEventIds {

    /** No ids. */
    public static final byte[] EMPTY = new byte[0];
    /** The longest id that fits in the block; a longer one is kept in the dedup store. */
    public static final int MAX_ID_BYTES = 0xFFFF;

    private static final int LONG_LENGTH = 0xFF;
    private static final int TIME_BYTES = 4;
    private static final long MAX_SECONDS = 0xFFFF_FFFFL;

    private RecentEventIds() {
    }

    /** The event time (epoch millis, to the second) kept with {@code id}, or {@code null} when the block does not hold it. */
    public static Long timeOf(byte[] block, byte[] id) {
        int at = 0;
        while (at < block.length) {
            int length = length(block, at);
            int start = at + lengthBytes(block, at);
            // Ids mostly differ in their last bytes (counters, random suffixes): look there first.
            if (length == id.length && (length == 0 || block[start + length - 1] == id[length - 1])
                    && Arrays.equals(block, start, start + length, id, 0, length)) {
                return seconds(block, start + length) * 1000L;
            }
            at = start + length + TIME_BYTES;
        }
        return null;
    }

    /** How many ids the block holds. */
    public static int count(byte[] block) {
        int count = 0;
        for (int at = 0; at < block.length; at += entryBytes(block, at)) {
            count++;
        }
        return count;
    }

    /**
     * The block without the ids whose second ends before {@code cutoffMs}, with {@code id} added at
     * {@code timeMs}; or {@code null} when the id is too long, its time cannot be kept (before 1970
     * or after 2106) or the block would then hold more than {@code maxIds}.
     */
    public static byte[] add(byte[] block, byte[] id, long timeMs, long cutoffMs, int maxIds) {
        long seconds = Math.floorDiv(timeMs, 1000L);
        if (id.length > MAX_ID_BYTES || maxIds <= 0 || seconds < 0 || seconds > MAX_SECONDS) {
            return null;
        }
        // First pass: what is kept, so the result is allocated once at its size.
        int keptBytes = 0;
        int kept = 0;
        for (int at = 0; at < block.length; at += entryBytes(block, at)) {
            if (keep(block, at, cutoffMs)) {
                keptBytes += entryBytes(block, at);
                kept++;
            }
        }
        if (kept >= maxIds) {
            return null;
        }
        int lengthBytes = id.length < LONG_LENGTH ? 1 : 3;
        byte[] result = new byte[keptBytes + lengthBytes + id.length + TIME_BYTES];
        int to = 0;
        if (keptBytes == block.length) {
            System.arraycopy(block, 0, result, 0, keptBytes);
            to = keptBytes;
        } else {
            for (int at = 0; at < block.length; at += entryBytes(block, at)) {
                if (keep(block, at, cutoffMs)) {
                    int entry = entryBytes(block, at);
                    System.arraycopy(block, at, result, to, entry);
                    to += entry;
                }
            }
        }
        ByteBuffer out = ByteBuffer.wrap(result, to, result.length - to);
        if (lengthBytes == 1) {
            out.put((byte) id.length);
        } else {
            out.put((byte) LONG_LENGTH).putShort((short) id.length);
        }
        out.put(id).putInt((int) seconds);
        return result;
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

    private static boolean keep(byte[] block, int at, long cutoffMs) {
        long seconds = seconds(block, at + lengthBytes(block, at) + length(block, at));
        return (seconds + 1) * 1000L > cutoffMs;
    }

    private static int lengthBytes(byte[] block, int at) {
        return (block[at] & 0xFF) == LONG_LENGTH ? 3 : 1;
    }

    private static int length(byte[] block, int at) {
        int first = block[at] & 0xFF;
        return first == LONG_LENGTH ? ((block[at + 1] & 0xFF) << 8) | (block[at + 2] & 0xFF) : first;
    }

    private static int entryBytes(byte[] block, int at) {
        return lengthBytes(block, at) + length(block, at) + TIME_BYTES;
    }

    private static long seconds(byte[] block, int at) {
        return ByteBuffer.wrap(block, at, TIME_BYTES).getInt() & 0xFFFF_FFFFL;
    }
}
