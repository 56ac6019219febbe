package dev.costmeter.pricing.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonthlyEnvelopeTest {

    private static final YearMonth DECEMBER = YearMonth.of(2026, 12);

    @Test
    void shouldProjectTheRestOfTheMonthAtTheMeanTheDearestAndTheWasteFreeMeanDay() {
        // Days 1..3 of 31: 100, 0 (no spend), 200 of which 60 retries -> S = 300, W = 60, P = 200, n = 3, r = 28
        MonthlyEnvelope e = MonthlyEnvelope.project(DECEMBER, LocalDate.of(2026, 12, 3),
                Map.of(LocalDate.of(2026, 12, 1), 100L, LocalDate.of(2026, 12, 3), 200L, LocalDate.of(2026, 12, 4), 999L),
                Map.of(LocalDate.of(2026, 12, 3), 60L));
        assertThat(e.spentNanos()).isEqualTo(300);
        assertThat(e.wasteNanos()).isEqualTo(60);
        assertThat(e.dearestDayNanos()).isEqualTo(200);
        assertThat(e.daysElapsed()).isEqualTo(3);
        assertThat(e.daysLeft()).isEqualTo(28);
        assertThat(e.baseNanos()).isEqualTo(300 + 28 * 300 / 3);              // 3,100
        assertThat(e.worstNanos()).isEqualTo(300 + 28 * 200);                 // 5,900
        assertThat(e.bestNanos()).isEqualTo(300 + 28 * 240 / 3);              // 2,540
    }

    @Test
    void shouldGiveTheThreeNumbersThePostgresViewGivesForTheHandBuiltLedger() {
        // sink-connectors' LedgerLeversTest and metering's LeversTopologyTest: 62,100,000 spent on 27 November,
        // 6,000,000 of it on a retry; monthly_projection through the 27th says 68,333,333 / 69,000,000 / 248,400,000.
        MonthlyEnvelope e = MonthlyEnvelope.project(YearMonth.of(2026, 11), LocalDate.of(2026, 11, 27),
                Map.of(LocalDate.of(2026, 11, 27), 62_100_000L), Map.of(LocalDate.of(2026, 11, 27), 6_000_000L));
        assertThat(new long[] {e.bestNanos(), e.baseNanos(), e.worstNanos()}).containsExactly(68_333_333L, 69_000_000L, 248_400_000L);
        // A mean waste-free day rounded first (56,100,000 / 27 = 2,077,777.8 -> 2,077,778) would give best 68,333,334.
        assertThat(e.bestNanos()).isNotEqualTo(62_100_000L + 3 * 2_077_778L);
    }

    @Test
    void shouldRoundTheWholeFractionOnceNotTheMeanFirst() {
        // S = 10 over n = 3 days, r = 28: exact 10 + 280/3 = 103.33 -> 103; a mean rounded first (3) gives 94.
        MonthlyEnvelope e = MonthlyEnvelope.project(DECEMBER, LocalDate.of(2026, 12, 3),
                Map.of(LocalDate.of(2026, 12, 2), 10L), Map.of());
        assertThat(e.baseNanos()).isEqualTo(103).isNotEqualTo(10 + 28 * Math.round(10 / 3.0));
    }

    @Test
    void shouldRoundAnExactHalfUpWhereHalfEvenAndTruncationRoundDown() {
        // S = 3 over n = 2 days, r = 29: 3 + 87/2 = 46.5 -> 47 (half-even and truncation give 46)
        MonthlyEnvelope e = MonthlyEnvelope.project(DECEMBER, LocalDate.of(2026, 12, 2),
                Map.of(LocalDate.of(2026, 12, 1), 3L), Map.of());
        assertThat(e.baseNanos()).isEqualTo(47);
        assertThat(MonthlyEnvelope.halfUp(BigInteger.valueOf(-87), 2)).isEqualTo(-44);
    }

    @Test
    void shouldEqualTheSpendOnTheMonthsLastDay() {
        MonthlyEnvelope e = MonthlyEnvelope.project(YearMonth.of(2026, 11), LocalDate.of(2026, 11, 30),
                Map.of(LocalDate.of(2026, 11, 7), 5L, LocalDate.of(2026, 11, 8), 9L), Map.of(LocalDate.of(2026, 11, 8), 9L));
        assertThat(e.bestNanos()).isEqualTo(14);
        assertThat(e.baseNanos()).isEqualTo(14);
        assertThat(e.worstNanos()).isEqualTo(14);
    }

    @Test
    void shouldRefuseAThroughDayOutsideTheMonthAndWasteAboveTheSpend() {
        assertThatThrownBy(() -> MonthlyEnvelope.project(DECEMBER, LocalDate.of(2027, 1, 1), Map.of(), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a day of 2026-12");
        assertThatThrownBy(() -> MonthlyEnvelope.project(DECEMBER, LocalDate.of(2026, 12, 1),
                Map.of(LocalDate.of(2026, 12, 1), 5L), Map.of(LocalDate.of(2026, 12, 1), 6L)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("between 0 and its spend");
    }
}
