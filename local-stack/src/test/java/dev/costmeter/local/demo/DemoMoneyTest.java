package dev.costmeter.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoMoneyTest {

    @Test
    void shouldPrintDollarsWithSixDecimalsRoundedHalfUpFromNanos() {
        assertThat(DemoMoney.usd(1_234_567_500L)).isEqualTo("$1.234568");
        assertThat(DemoMoney.usd(1_234_567_499L)).isEqualTo("$1.234567");
        assertThat(DemoMoney.usd(3_000_000_000L)).isEqualTo("$3.000000");
        assertThat(DemoMoney.usd(499)).isEqualTo("$0.000000");
        assertThat(DemoMoney.usd(500)).isEqualTo("$0.000001");
        assertThat(DemoMoney.usd(-1_500)).isEqualTo("-$0.000002");
        assertThat(DemoMoney.usd(Long.MAX_VALUE)).isEqualTo("$9223372036.854776");
    }

    @Test
    void shouldPrintAShareWithOneDecimalRoundedHalfUp() {
        assertThat(DemoMoney.percentOf(3_100_000_000L, 3_000_000_000L)).isEqualTo("103.3%");
        assertThat(DemoMoney.percentOf(1_500_000_000L, 3_000_000_000L)).isEqualTo("50.0%");
    }
}
