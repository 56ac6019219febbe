package dev.costmeter.metering.dedup;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
    /** Room left for later ids when a block has to grow. */
    private static final int MIN_SPARE_BYTES = 64;

    private RecentEventIds() {
    }

    /** The event time (epoch millis, to the second) kept with {@code id}, or {@code null} when {@code ids} does not hold it. */
    public static Long timeOf(ByteBuffer ids, byte[] id) {
        if (ids == null) {
            return null;
        }
        if (!ids.hasArray()) {
            return timeOf(bytesOf(ids), 0, ids.remaining(), id);
        }
        return timeOf(ids.array(), ids.arrayOffset() + ids.position(), ids.remaining(), id);
    }

    /**
     * As {@link #timeOf(ByteBuffer, byte[])} for an id given as a string. An ASCII id, as ids nearly
     * always are, is its own UTF-8 and is compared with the kept bytes as it is: deduplication
     * checks every call, and encoding its id first made an array per call (JFR, issue #19).
     */
    public static Long timeOf(ByteBuffer ids, String id) {
        if (ids == null) {
            return null;
        }
        int idLength = id.length();
        for (int i = 0; i < idLength; i++) {
            if (id.charAt(i) >= 0x80) {
                return timeOf(ids, id.getBytes(StandardCharsets.UTF_8));
            }
        }
        byte[] block = ids.hasArray() ? ids.array() : bytesOf(ids);
        int at = ids.hasArray() ? ids.arrayOffset() + ids.position() : 0;
        int end = at + ids.remaining();
        while (at < end) {
            int length = length(block, at);
            int start = at + lengthBytes(block, at);
            if (length == idLength && (length == 0 || block[start + length - 1] == (byte) id.charAt(length - 1))
                    && asciiEquals(block, start, id)) {
                return seconds(block, start + length) * 1000L;
            }
            at = start + length + TIME_BYTES;
        }
        return null;
    }

    private static boolean asciiEquals(byte[] block, int start, String id) {
        for (int i = 0; i < id.length(); i++) {
            if (block[start + i] != (byte) id.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static Long timeOf(byte[] block, int from, int length, byte[] id) {
        int end = from + length;
        int at = from;
        while (at < end) {
            int idLength = length(block, at);
            int start = at + lengthBytes(block, at);
            // Ids mostly differ in their last bytes (counters, random suffixes): look there first.
            if (idLength == id.length && (idLength == 0 || block[start + idLength - 1] == id[idLength - 1])
                    && Arrays.equals(block, start, start + idLength, id, 0, idLength)) {
                return seconds(block, start + idLength) * 1000L;
            }
            at = start + idLength + TIME_BYTES;
        }
        return null;
    }

    /** How many ids {@code ids} holds. */
    public static int count(ByteBuffer ids) {
        byte[] block = bytesOf(ids);
        int count = 0;
        for (int at = 0; at < block.length; at += entryBytes(block, at)) {
            count++;
        }
        return count;
    }

    /**
     * {@code ids} without the ids whose second ends before {@code cutoffMs}, with {@code id} added at
     * {@code timeMs}; or {@code null} (and {@code ids} unchanged) when the id is too long, its time
     * cannot be kept (before 1970 or after 2106) or the block would then hold more than {@code maxIds}.
     *
     * <p>The result is {@code ids} itself, changed in place, when {@code ids} is a buffer this method
     * returned (or one that wraps a whole array) and has room; otherwise a new buffer with room to
     * spare. Changing in place matters for the garbage collector: task totals live long, and a new
     * array referenced from them on every call makes every young collection scan the old objects that
     * point to it.
     */
    public static ByteBuffer add(ByteBuffer ids, byte[] id, long timeMs, long cutoffMs, int maxIds) {
        long seconds = Math.floorDiv(timeMs, 1000L);
        if (id.length > MAX_ID_BYTES || maxIds <= 0 || seconds < 0 || seconds > MAX_SECONDS) {
            return null;
        }
        boolean owned = ids != null && ids.hasArray() && !ids.isReadOnly() && ids.arrayOffset() == 0 && ids.position() == 0;
        byte[] block = owned ? ids.array() : bytesOf(ids);
        int length = owned ? ids.limit() : block.length;
        // First pass: what is kept, so that nothing changes when the id does not fit.
        int keptBytes = 0;
        int kept = 0;
        for (int at = 0; at < length; at += entryBytes(block, at)) {
            if (keep(block, at, cutoffMs)) {
                keptBytes += entryBytes(block, at);
                kept++;
            }
        }
        if (kept >= maxIds) {
            return null;
        }
        int lengthBytes = id.length < LONG_LENGTH ? 1 : 3;
        int needed = keptBytes + lengthBytes + id.length + TIME_BYTES;
        byte[] result = owned && needed <= block.length ? block : new byte[needed + Math.max(MIN_SPARE_BYTES, needed / 2)];
        int to = 0;
        if (keptBytes == length) {
            if (result != block) {
                System.arraycopy(block, 0, result, 0, keptBytes);
            }
            to = keptBytes;
        } else {
            // Kept entries move towards the start (to <= at), so this also works within one array.
            for (int at = 0; at < length; at += entryBytes(block, at)) {
                if (keep(block, at, cutoffMs)) {
                    int entry = entryBytes(block, at);
                    System.arraycopy(block, at, result, to, entry);
                    to += entry;
                }
            }
        }
        ByteBuffer out = ByteBuffer.wrap(result, to, needed - to);
        if (lengthBytes == 1) {
            out.put((byte) id.length);
        } else {
            out.put((byte) LONG_LENGTH).putShort((short) id.length);
        }
        out.put(id).putInt((int) seconds);
        return result == block ? ids.limit(needed) : ByteBuffer.wrap(result, 0, needed);
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

    /** The four big-endian bytes at {@code at}, unsigned (read for every id scanned, so without a buffer). */
    private static long seconds(byte[] block, int at) {
        return ((block[at] & 0xFFL) << 24) | ((block[at + 1] & 0xFFL) << 16) | ((block[at + 2] & 0xFFL) << 8)
                | (block[at + 3] & 0xFFL);
    }
}
