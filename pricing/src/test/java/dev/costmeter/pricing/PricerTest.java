package dev.costmeter.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.LongContextTier;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PricerTest {

    private static final Rates GPT = new Rates(Instant.EPOCH, 2_500_000_000L, 10_000_000_000L, 1_250_000_000L,
            3_125_000_000L, 1_250_000_000L, 5_000_000_000L, null, "openai/gpt@1");

    @Test
    void shouldPriceEachTokenKindAtItsOwnRate() {
        Cost cost = Pricer.price(GPT, new Pricer.Tokens(1000, 100, 2000, 400), false);
        assertThat(cost.input()).isEqualTo(2_500_000L);
        assertThat(cost.output()).isEqualTo(1_000_000L);
        assertThat(cost.cacheRead()).isEqualTo(2_500_000L);
        assertThat(cost.cacheWrite()).isEqualTo(1_250_000L);
        assertThat(cost.total()).isEqualTo(7_250_000L);
        assertThat(cost.priceVersion()).isEqualTo("openai/gpt@1");
    }

    @Test
    void shouldUseBatchRatesForBatchCallsAndFullRatesWithoutThem() {
        assertThat(Pricer.price(GPT, new Pricer.Tokens(1000, 100, 0, 0), true).total()).isEqualTo(1_250_000L + 500_000L);
        Rates noBatch = new Rates(Instant.EPOCH, 2_500_000_000L, 10_000_000_000L, 0, 0, null, null, null, "v");
        assertThat(Pricer.price(noBatch, new Pricer.Tokens(1000, 100, 0, 0), true).total()).isEqualTo(3_500_000L);
    }

    @Test
    void shouldRoundEachComponentHalfUpToAWholeNano() {
        // 1 token at $0.0015/M (1,500,000 nanos/M) = 1.5 nano-USD -> 2; at $0.0014/M = 1.4 -> 1.
        assertThat(Pricer.component(1, 1_500_000)).isEqualTo(2);
        assertThat(Pricer.component(1, 1_400_000)).isEqualTo(1);
        assertThat(Pricer.component(3, 1_500_000)).isEqualTo(5);
        assertThat(Pricer.component(1, 499_999)).isEqualTo(0);
        assertThat(Pricer.component(1, 500_000)).isEqualTo(1);
    }

    @Test
    void shouldComputeExactlyWhereTheProductOverflowsALong() {
        // 10^9 tokens at $1,000,000/M (10^15 nanos/M): the product 10^24 needs BigInteger; the cost is 10^18.
        assertThat(Pricer.component(1_000_000_000L, 1_000_000_000_000_000L)).isEqualTo(1_000_000_000_000_000_000L);
        assertThat(Pricer.component(1_000_000_001L, 999_999_999_999_999L)).isEqualTo(1_000_000_000_999_999_000L);
    }

    @Test
    void shouldSwitchToTheLongContextTierAbovePromptThreshold() {
        Rates tiered = new Rates(Instant.EPOCH, 3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L, null, null,
                LongContextTier.newBuilder().setThresholdPromptTokens(200_000L).setInputNanosPerMtok(6_000_000_000L)
                        .setOutputNanosPerMtok(22_500_000_000L).setCacheReadNanosPerMtok(600_000_000L)
                        .setCacheWriteNanosPerMtok(7_500_000_000L).build(), "anthropic/sonnet@1");
        Cost atThreshold = Pricer.price(tiered, new Pricer.Tokens(100_000, 1_000, 100_000, 0), false);
        assertThat(atThreshold.longContext()).isFalse();
        assertThat(atThreshold.input()).isEqualTo(300_000_000L);
        Cost above = Pricer.price(tiered, new Pricer.Tokens(100_001, 1_000, 100_000, 0), false);
        assertThat(above.longContext()).isTrue();
        assertThat(above.input()).isEqualTo(600_006_000L);
        assertThat(above.output()).isEqualTo(22_500_000L);
        assertThat(above.cacheRead()).isEqualTo(60_000_000L);
    }
}
