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
        byte[] block = RecentEventIds.add(RecentEventIds.EMPTY, id("ev-1"), T, 0L, 4);
        block = RecentEventIds.add(block, id("ev-10"), T + 2_345, 0L, 4);
        block = RecentEventIds.add(block, id("\u00e9v\u00e9nement"), T + 60_000, 0L, 4);

        assertThat(RecentEventIds.count(block)).isEqualTo(3);
        assertThat(RecentEventIds.timeOf(block, id("ev-1"))).isEqualTo(T);
        assertThat(RecentEventIds.timeOf(block, id("ev-10"))).isEqualTo(T + 2_000);
        assertThat(RecentEventIds.timeOf(block, id("\u00e9v\u00e9nement"))).isEqualTo(T + 60_000);
        assertThat(RecentEventIds.timeOf(block, id("ev-"))).isNull();
        assertThat(RecentEventIds.timeOf(block, id("ev-100"))).isNull();
        assertThat(RecentEventIds.timeOf(RecentEventIds.EMPTY, id("ev-1"))).isNull();
    }

    @Test
    void shouldKeepIdsLongerThanAByteOfLength() {
        String longId = "x".repeat(300);
        byte[] block = RecentEventIds.add(RecentEventIds.EMPTY, id("short"), T, 0L, 4);
        block = RecentEventIds.add(block, id(longId), T + 1_000, 0L, 4);
        block = RecentEventIds.add(block, id("after"), T + 2_000, 0L, 4);

        assertThat(RecentEventIds.count(block)).isEqualTo(3);
        assertThat(RecentEventIds.timeOf(block, id(longId))).isEqualTo(T + 1_000);
        assertThat(RecentEventIds.timeOf(block, id("after"))).isEqualTo(T + 2_000);
    }

    @Test
    void shouldDropIdsWhoseSecondEndedBeforeTheCutoffWhenAdding() {
        byte[] block = RecentEventIds.add(RecentEventIds.EMPTY, id("old"), T, 0L, 2);
        block = RecentEventIds.add(block, id("kept"), T + 5_000, 0L, 2);

        block = RecentEventIds.add(block, id("new"), T + 9_000, T + 5_500, 2);

        assertThat(RecentEventIds.count(block)).isEqualTo(2);
        assertThat(RecentEventIds.timeOf(block, id("old"))).isNull();
        assertThat(RecentEventIds.timeOf(block, id("kept"))).isEqualTo(T + 5_000);
        assertThat(RecentEventIds.timeOf(block, id("new"))).isEqualTo(T + 9_000);
    }

    @Test
    void shouldRefuseAnIdWhenTheBlockIsFullOrTheIdTooLongOrItsTimeOutOfRange() {
        byte[] full = RecentEventIds.add(RecentEventIds.EMPTY, id("a"), T, 0L, 1);

        assertThat(RecentEventIds.add(full, id("b"), T, 0L, 1)).isNull();
        assertThat(RecentEventIds.add(RecentEventIds.EMPTY, new byte[RecentEventIds.MAX_ID_BYTES + 1], T, 0L, 8)).isNull();
        assertThat(RecentEventIds.add(RecentEventIds.EMPTY, id("a"), T, 0L, 0)).isNull();
        assertThat(RecentEventIds.add(RecentEventIds.EMPTY, id("a"), -1_000L, -5_000L, 8)).isNull();
    }

    @Test
    void shouldReadTheBytesOfASlicedBuffer() {
        ByteBuffer sliced = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3).slice();

        assertThat(RecentEventIds.bytesOf(sliced)).containsExactly(1, 2, 3);
        assertThat(RecentEventIds.bytesOf(null)).isEmpty();
    }
}
