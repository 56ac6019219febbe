package dev.costmeter.metering.rollup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class RollupSerdesTest {

    @Test
    void shouldRoundTripTheLeverFieldsInFormatTwo() {
        Counters c = new Counters();
        c.calls = 3;
        c.costNanos = 900;
        c.cacheCalls = 2;
        c.cacheSavingsNanos = -75;
        c.batchCalls = 1;
        c.batchTokens = 11_000;
        c.batchSavingsNanos = 225;
        c.retryCostNanos = 60;
        byte[] bytes = RollupSerdes.counters().serializer().serialize("t", c);
        assertThat(bytes[0]).isEqualTo((byte) 2);
        Counters read = RollupSerdes.counters().deserializer().deserialize("t", bytes);
        assertThat(read.cacheSavingsNanos()).isEqualTo(-75);
        assertThat(read.batchTokens()).isEqualTo(11_000);
        assertThat(read.retryCostNanos()).isEqualTo(60);
        RollupDelta delta = RollupSerdes.deltas().deserializer().deserialize("t",
                RollupSerdes.deltas().serializer().serialize("t", new RollupDelta(60_000, c)));
        assertThat(delta.minuteStart()).isEqualTo(60_000);
        assertThat(delta.counters().batchSavingsNanos()).isEqualTo(225);
    }

    @Test
    void shouldReadFormatOneWrittenBeforeTheLeversWithTheLeverFieldsAtZero() {
        // What stores, changelogs and the repartition topic hold after an upgrade, and what corrections still build.
        ByteBuffer v1 = ByteBuffer.allocate(1 + Long.BYTES + 15 * Long.BYTES).put((byte) 1).putLong(120_000);
        for (long field = 1; field <= 15; field++) {
            v1.putLong(field);
        }
        RollupDelta delta = RollupSerdes.deltas().deserializer().deserialize("t", v1.array());
        assertThat(delta.minuteStart()).isEqualTo(120_000);
        assertThat(delta.counters().calls()).isEqualTo(1);
        assertThat(delta.counters().costNanos()).isEqualTo(10);
        assertThat(delta.counters().savingsNanos()).isEqualTo(15);
        assertThat(delta.counters().cacheSavingsNanos()).isZero();
        assertThat(delta.counters().retryCostNanos()).isZero();
    }

    @Test
    void shouldRefuseBytesOfNeitherFormat() {
        assertThatThrownBy(() -> RollupSerdes.counters().deserializer().deserialize("t", new byte[] {2, 0, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("Not a v1 or v2 rollup record: 3 bytes");
        byte[] v1Length = new byte[1 + 15 * Long.BYTES];
        v1Length[0] = 2;
        assertThatThrownBy(() -> RollupSerdes.counters().deserializer().deserialize("t", v1Length))
                .isInstanceOf(SerializationException.class);
    }
}
