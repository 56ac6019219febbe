package dev.costmeter.metering.query;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RatiosTest {

    @Test
    void shouldRoundHalfUpNotTruncate() {
        assertThat(Ratios.halfUp(5, 2)).isEqualTo(3);      // 2.5 -> 3 (truncation: 2)
        assertThat(Ratios.halfUp(7, 3)).isEqualTo(2);      // 2.33 -> 2
        assertThat(Ratios.halfUp(8, 3)).isEqualTo(3);      // 2.67 -> 3 (truncation: 2)
        assertThat(Ratios.halfUp(-5, 2)).isEqualTo(-3);    // a net negative (a correction) rounds away from zero too
        assertThat(Ratios.basisPoints(2, 3)).isEqualTo(6_667); // 6,666.67 bps
        assertThat(Ratios.basisPoints(1, 8)).isEqualTo(1_250);
    }

    @Test
    void shouldAnswerNullWhenThereIsNothingToDivideBy() {
        assertThat(Ratios.halfUp(10, 0)).isNull();
        assertThat(Ratios.basisPoints(0, 0)).isNull();
    }

    @Test
    void shouldNotOverflowWhereTheNumeratorTimesTenThousandWould() {
        assertThat(Ratios.basisPoints(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(10_000);
        assertThat(Ratios.halfUp(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
    }
}
