package dev.costmeter.metering.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentEventIdsTest {

    private static final long T = 1_764_236_400_000L;

    private static byte[] id(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldFindEachAddedIdWithItsTimeToTheSecond() {
        ByteBuffer block = RecentEventIds.add(null, id("ev-1"), T, 0L, 4);
        block = RecentEventIds.add(block, id("ev-10"), T + 2_345, 0L, 4);
        block = RecentEventIds.add(block, id("\u00e9v\u00e9nement"), T + 60_000, 0L, 4);

        assertThat(RecentEventIds.count(block)).isEqualTo(3);
        assertThat(RecentEventIds.timeOf(block, id("ev-1"))).isEqualTo(T);
        assertThat(RecentEventIds.timeOf(block, id("ev-10"))).isEqualTo(T + 2_000);
        assertThat(RecentEventIds.timeOf(block, id("\u00e9v\u00e9nement"))).isEqualTo(T + 60_000);
        assertThat(RecentEventIds.timeOf(block, id("ev-"))).isNull();
        assertThat(RecentEventIds.timeOf(block, id("ev-100"))).isNull();
        assertThat(RecentEventIds.timeOf(ByteBuffer.wrap(RecentEventIds.EMPTY), id("ev-1"))).isNull();
    }

    @Test
    void shouldKeepIdsLongerThanAByteOfLength() {
        String longId = "x".repeat(300);
        ByteBuffer block = RecentEventIds.add(null, id("short"), T, 0L, 4);
        block = RecentEventIds.add(block, id(longId), T + 1_000, 0L, 4);
        block = RecentEventIds.add(block, id("after"), T + 2_000, 0L, 4);

        assertThat(RecentEventIds.count(block)).isEqualTo(3);
        assertThat(RecentEventIds.timeOf(block, id(longId))).isEqualTo(T + 1_000);
        assertThat(RecentEventIds.timeOf(block, id("after"))).isEqualTo(T + 2_000);
    }

    @Test
    void shouldDropIdsWhoseSecondEndedBeforeTheCutoffWhenAdding() {
        ByteBuffer block = RecentEventIds.add(null, id("old"), T, 0L, 2);
        block = RecentEventIds.add(block, id("kept"), T + 5_000, 0L, 2);

        block = RecentEventIds.add(block, id("new"), T + 9_000, T + 5_500, 2);

        assertThat(RecentEventIds.count(block)).isEqualTo(2);
        assertThat(RecentEventIds.timeOf(block, id("old"))).isNull();
        assertThat(RecentEventIds.timeOf(block, id("kept"))).isEqualTo(T + 5_000);
        assertThat(RecentEventIds.timeOf(block, id("new"))).isEqualTo(T + 9_000);
    }

    @Test
    void shouldRefuseAnIdWhenTheBlockIsFullOrTheIdTooLongOrItsTimeOutOfRange() {
        ByteBuffer full = RecentEventIds.add(null, id("a"), T, 0L, 1);

        assertThat(RecentEventIds.add(full, id("b"), T, 0L, 1)).isNull();
        assertThat(RecentEventIds.add(null, new byte[RecentEventIds.MAX_ID_BYTES + 1], T, 0L, 8)).isNull();
        assertThat(RecentEventIds.add(null, id("a"), T, 0L, 0)).isNull();
        assertThat(RecentEventIds.add(null, id("a"), -1_000L, -5_000L, 8)).isNull();
    }

    @Test
    void shouldAddInPlaceWhileTheBlockHasRoomAndGrowItWhenNot() {
        ByteBuffer block = RecentEventIds.add(null, id("ev-1"), T, 0L, 64);
        int capacity = block.capacity();

        ByteBuffer same = block;
        int added = 1;
        while (block.capacity() == capacity) {
            same = block;
            block = RecentEventIds.add(block, id("ev-" + (++added)), T + added * 1_000L, 0L, 64);
            if (block.capacity() == capacity) {
                assertThat(block).isSameAs(same);
            }
        }

        assertThat(block).isNotSameAs(same);
        assertThat(RecentEventIds.count(block)).isEqualTo(added);
        for (int i = 1; i <= added; i++) {
            assertThat(RecentEventIds.timeOf(block, id("ev-" + i))).isEqualTo(i == 1 ? T : T + i * 1_000L);
        }
    }

    @Test
    void shouldDropExpiredIdsInPlaceAndLeaveTheBlockUnchangedWhenRefusing() {
        ByteBuffer block = RecentEventIds.add(null, id("old"), T, 0L, 2);
        block = RecentEventIds.add(block, id("kept"), T + 5_000, 0L, 2);
        ByteBuffer before = block.duplicate();

        assertThat(RecentEventIds.add(block, id("refused"), T + 6_000, 0L, 2)).isNull();
        assertThat(block).isEqualTo(before);

        ByteBuffer after = RecentEventIds.add(block, id("new"), T + 9_000, T + 5_500, 2);
        assertThat(after).isSameAs(block);
        assertThat(RecentEventIds.count(after)).isEqualTo(2);
        assertThat(RecentEventIds.timeOf(after, id("old"))).isNull();
        assertThat(RecentEventIds.timeOf(after, id("kept"))).isEqualTo(T + 5_000);
        assertThat(RecentEventIds.timeOf(after, id("new"))).isEqualTo(T + 9_000);
    }

    @Test
    void shouldNeverWriteIntoABufferItWasNotGivenWhole() {
        ByteBuffer first = RecentEventIds.add(null, id("a"), T, 0L, 8);
        byte[] shared = new byte[first.remaining() + 10];
        first.duplicate().get(shared, 1, first.remaining());
        ByteBuffer slice = ByteBuffer.wrap(shared, 1, first.remaining()).slice();
        ByteBuffer readOnly = ByteBuffer.wrap(shared, 1, first.remaining()).slice().asReadOnlyBuffer();
        byte[] untouched = shared.clone();

        for (ByteBuffer given : new ByteBuffer[] {slice, readOnly}) {
            ByteBuffer added = RecentEventIds.add(given, id("b"), T + 1_000, 0L, 8);
            assertThat(added).isNotSameAs(given);
            assertThat(RecentEventIds.timeOf(added, id("a"))).isEqualTo(T);
            assertThat(RecentEventIds.timeOf(added, id("b"))).isEqualTo(T + 1_000);
        }
        assertThat(shared).isEqualTo(untouched);
    }

    @Test
    void shouldReadTheBytesOfASlicedBuffer() {
        ByteBuffer sliced = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3).slice();

        assertThat(RecentEventIds.bytesOf(sliced)).containsExactly(1, 2, 3);
        assertThat(RecentEventIds.bytesOf(null)).isEmpty();
    }

    @Test
    void shouldFindAnIdGivenAsAStringExactlyAsByItsUtf8Bytes() {
        String longId = "ev-" + "y".repeat(300);
        java.util.List<String> kept = java.util.List.of("ev-1", "ev-10", "ev-20", "", "\u00e9v\u00e9nement", longId, "\uD83D\uDE00");
        ByteBuffer block = null;
        for (int i = 0; i < kept.size(); i++) {
            block = RecentEventIds.add(block, id(kept.get(i)), T + i * 1_000L, 0L, 16);
        }
        // Same length and last byte as kept ids but other bytes; prefixes; non-ASCII lookalikes.
        java.util.List<String> asked = new java.util.ArrayList<>(kept);
        asked.addAll(java.util.List.of("ev-30", "ax-10", "ev-2", "ev-100", "ev-", "\u00e9v\u00e9nemenT", "ev\u00e9",
                "ev-" + "y".repeat(299) + "z", "\uD83D\uDE01"));
        ByteBuffer readOnlySlice = ByteBuffer.wrap(concat(new byte[] {7, 7}, RecentEventIds.bytesOf(block)), 2,
                RecentEventIds.bytesOf(block).length).slice().asReadOnlyBuffer();
        for (ByteBuffer ids : new ByteBuffer[] {block, readOnlySlice}) {
            for (String id : asked) {
                assertThat(RecentEventIds.timeOf(ids, id)).as(id).isEqualTo(RecentEventIds.timeOf(ids, id(id)));
            }
        }
        assertThat(RecentEventIds.timeOf(block, "ev-20")).isEqualTo(T + 2_000);
        assertThat(RecentEventIds.timeOf(block, "ev-30")).isNull();
        assertThat(RecentEventIds.timeOf((ByteBuffer) null, "ev-1")).isNull();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
