package dev.costmeter.cli.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnvelopeTest {

    private static final YearMonth NOVEMBER = YearMonth.of(2026, 11);

    @Test
    void shouldProjectFromMeanLowestAndHighestCompleteDayRoundingHalfUpOnce() {
        // 3 complete days ($1, $2.000000001, nothing), today $0.50 so far, 26.75 days left.
        Map<LocalDate, Long> daily = Map.of(
                LocalDate.of(2026, 11, 1), 1_000_000_000L,
                LocalDate.of(2026, 11, 2), 2_000_000_001L,
                LocalDate.of(2026, 11, 4), 500_000_000L);

        Envelope e = Envelope.project(NOVEMBER, Instant.parse("2026-11-04T06:00:00Z"), daily);

        assertThat(e.completeDays()).containsExactly(1_000_000_000L, 2_000_000_001L, 0L);
        assertThat(e.todayNanos()).isEqualTo(500_000_000L);
        assertThat(e.spentNanos()).isEqualTo(3_500_000_001L);
        assertThat(e.remainingMillis()).isEqualTo(26L * 86_400_000 + 18L * 3_600_000);
        // 3,000,000,001 x 26.75 / 3 = 26,750,000,008.916... -> ...009
        assertThat(e.baseNanos()).isEqualTo(3_500_000_001L + 26_750_000_009L);
        assertThat(e.bestNanos()).isEqualTo(3_500_000_001L);
        // 2,000,000,001 x 26.75 = 53,500,000,026.75 -> ...027
        assertThat(e.worstNanos()).isEqualTo(3_500_000_001L + 53_500_000_027L);
        assertThat(e.worstBasis()).isEqualTo("max");
        assertThat(e.meanDailyNanos()).isEqualTo(1_000_000_000L);
    }

    @Test
    void shouldUseTheNinetiethPercentileForTheWorstCaseFromTenCompleteDays() {
        Map<LocalDate, Long> daily = new HashMap<>();
        for (int day = 1; day <= 10; day++) {
            daily.put(LocalDate.of(2026, 11, day), day * 1_000_000_000L);
        }

        Envelope e = Envelope.project(NOVEMBER, Instant.parse("2026-11-11T00:00:00Z"), daily);

        assertThat(e.remainingMillis()).isEqualTo(20L * 86_400_000);
        assertThat(e.spentNanos()).isEqualTo(55_000_000_000L);
        assertThat(e.baseNanos()).isEqualTo(55_000_000_000L + 110_000_000_000L);
        assertThat(e.bestNanos()).isEqualTo(55_000_000_000L + 20_000_000_000L);
        assertThat(e.worstBasis()).isEqualTo("p90");
        assertThat(e.worstDailyNanos()).isEqualTo(9_000_000_000L);
        assertThat(e.worstNanos()).isEqualTo(55_000_000_000L + 180_000_000_000L);
    }

    @Test
    void shouldTakeTheNearestRankAsTheNinetiethPercentile() {
        assertThat(Envelope.percentile90(java.util.List.of(5L, 1L, 4L, 3L, 2L, 10L, 9L, 8L, 7L, 6L, 11L))).isEqualTo(10L);
        assertThat(Envelope.percentile90(java.util.List.of(3L, 1L, 2L, 4L, 5L, 6L, 7L, 8L, 9L, 100L))).isEqualTo(9L);
    }

    @Test
    void shouldProjectAPastMonthAsExactlyWhatWasSpent() {
        Envelope e = Envelope.project(NOVEMBER, Instant.parse("2026-12-05T10:00:00Z"),
                Map.of(LocalDate.of(2026, 11, 30), 7L, LocalDate.of(2026, 12, 1), 1_000L));

        assertThat(e.completeDays()).hasSize(30);
        assertThat(e.remainingMillis()).isZero();
        assertThat(e.todayNanos()).isZero();
        assertThat(e.bestNanos()).isEqualTo(7L);
        assertThat(e.baseNanos()).isEqualTo(7L);
        assertThat(e.worstNanos()).isEqualTo(7L);
    }

    @Test
    void shouldNotProjectWithoutACompleteDay() {
        Envelope e = Envelope.project(NOVEMBER, Instant.parse("2026-11-01T08:00:00Z"), Map.of(LocalDate.of(2026, 11, 1), 42L));

        assertThat(e.spentNanos()).isEqualTo(42L);
        assertThat(e.baseNanos()).isNull();
        assertThat(e.bestNanos()).isNull();
        assertThat(e.worstNanos()).isNull();
    }

    @Test
    void shouldStayExactWhenRateTimesRemainingMillisExceedsALong() {
        Map<LocalDate, Long> daily = new HashMap<>();
        for (int day = 1; day <= 26; day++) {
            daily.put(LocalDate.of(2026, 11, day), 300_000_000_000_000_000L);
        }

        Envelope e = Envelope.project(NOVEMBER, Instant.parse("2026-11-27T12:00:00Z"), daily);

        assertThat(e.baseNanos()).isEqualTo(26 * 300_000_000_000_000_000L + 1_050_000_000_000_000_000L);
    }

    @Test
    void shouldRefuseAMonthThatHasNotStarted() {
        assertThatThrownBy(() -> Envelope.project(YearMonth.of(2026, 12), Instant.parse("2026-11-27T12:00:00Z"), Map.of()))
                .hasMessage("month 2026-12 has not started yet");
    }
}
