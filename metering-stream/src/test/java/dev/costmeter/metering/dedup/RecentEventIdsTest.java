package dev.costmeter.metering.dedup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RecentEventIdsTest {

    private static byte[] id(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldFindEachAddedIdWithItsTime() {
        byte[] block = RecentEventIds.add(RecentEventIds.EMPTY, id("ev-1"), 100L, 0L, 4);
        block = RecentEventIds.add(block, id("ev-10"), 200L, 0L, 4);
        block = RecentEventIds.add(block, id("\u00e9v\u00e9nement"), 300L, 0L, 4);

        assertThat(RecentEventIds.count(block)).isEqualTo(3);
        assertThat(RecentEventIds.timeOf(block, id("ev-1"))).isEqualTo(100L);
        assertThat(RecentEventIds.timeOf(block, id("ev-10"))).isEqualTo(200L);
        assertThat(RecentEventIds.timeOf(block, id("\u00e9v\u00e9nement"))).isEqualTo(300L);
        assertThat(RecentEventIds.timeOf(block, id("ev-"))).isNull();
        assertThat(RecentEventIds.timeOf(block, id("ev-100"))).isNull();
        assertThat(RecentEventIds.timeOf(RecentEventIds.EMPTY, id("ev-1"))).isNull();
    }

    @Test
    void shouldDropIdsOlderThanTheCutoffWhenAdding() {
        byte[] block = RecentEventIds.add(RecentEventIds.EMPTY, id("old"), 100L, 0L, 2);
        block = RecentEventIds.add(block, id("kept"), 500L, 0L, 2);

        block = RecentEventIds.add(block, id("new"), 900L, 400L, 2);

        assertThat(RecentEventIds.count(block)).isEqualTo(2);
        assertThat(RecentEventIds.timeOf(block, id("old"))).isNull();
        assertThat(RecentEventIds.timeOf(block, id("kept"))).isEqualTo(500L);
        assertThat(RecentEventIds.timeOf(block, id("new"))).isEqualTo(900L);
    }

    @Test
    void shouldRefuseAnIdWhenTheBlockIsFullOrTheIdTooLong() {
        byte[] full = RecentEventIds.add(RecentEventIds.EMPTY, id("a"), 1L, 0L, 1);

        assertThat(RecentEventIds.add(full, id("b"), 2L, 0L, 1)).isNull();
        assertThat(RecentEventIds.add(RecentEventIds.EMPTY, new byte[RecentEventIds.MAX_ID_BYTES + 1], 1L, 0L, 8)).isNull();
        assertThat(RecentEventIds.add(RecentEventIds.EMPTY, id("a"), 1L, 0L, 0)).isNull();
    }

    @Test
    void shouldReadTheBytesOfASlicedBuffer() {
        ByteBuffer sliced = ByteBuffer.wrap(new byte[] {9, 1, 2, 3}, 1, 3).slice();

        assertThat(RecentEventIds.bytesOf(sliced)).containsExactly(1, 2, 3);
        assertThat(RecentEventIds.bytesOf(null)).isEmpty();
    }
}
