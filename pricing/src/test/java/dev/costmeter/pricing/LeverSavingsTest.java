package dev.costmeter.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.LongContextCombination;
import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.UsageEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Each lever's savings on one call against amounts computed by hand, rates × tokens written out
 * beside each assertion (rates in nano-USD per million tokens, so N tokens at R cost N × R / 10^6).
 */
class LeverSavingsTest {

    /** Sonnet-like: $3 in, $15 out, reads $0.30, 5-minute writes $3.75, 1-hour writes $6, batch half; >200k prompt doubles, batch MULTIPLY. */
    static final Rates SONNET = new Rates(Instant.EPOCH, 3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L,
            1_500_000_000L, 7_500_000_000L,
            LongContextTier.newBuilder().setThresholdPromptTokens(200_000L).setInputNanosPerMtok(6_000_000_000L)
                    .setOutputNanosPerMtok(22_500_000_000L).setCacheReadNanosPerMtok(600_000_000L)
                    .setCacheWriteNanosPerMtok(7_500_000_000L).setCacheWrite1hNanosPerMtok(12_000_000_000L)
                    .setWithBatch(LongContextCombination.MULTIPLY).build(),
            "anthropic/sonnet@1", 6_000_000_000L, Map.of(), Map.of());

    /** A model with no batch rate: $0.15 in, $0.60 out. */
    static final Rates NO_BATCH = new Rates(Instant.EPOCH, 150_000_000L, 600_000_000L, 75_000_000L, 0, null, null, null,
            "openai/mini@1");

    @Test
    void shouldCreditCacheReadsAtTheFullInputRateLessWhatTheyCost() {
        UsageEvent call = event(1_000, 200, 10_000, 0, 0, false);
        // charged: input 1,000 x 3,000 = 3,000,000; output 200 x 15,000 = 3,000,000; reads 10,000 x 300 = 3,000,000
        // without the cache: input 11,000 x 3,000 = 33,000,000; output 3,000,000 -> 36,000,000
        assertThat(savings(SONNET, call)).isEqualTo(new LeverSavings(36_000_000L - 9_000_000L, 0));
        assertThat(savings(SONNET, call).cacheSavingsNanos()).isEqualTo(10_000L * (3_000 - 300));
    }

    @Test
    void shouldShowACacheWrittenButNeverReadAsALoss() {
        UsageEvent call = event(1_000, 0, 0, 4_000, 2_000, false);
        // charged: input 1,000 x 3,000 = 3,000,000; 5-minute writes 2,000 x 3,750 = 7,500,000; 1-hour 2,000 x 6,000 = 12,000,000
        // without the cache: input 5,000 x 3,000 = 15,000,000
        long loss = 15_000_000L - (3_000_000L + 7_500_000L + 12_000_000L);
        assertThat(loss).isEqualTo(-(2_000L * (3_750 - 3_000) + 2_000L * (6_000 - 3_000)));
        assertThat(savings(SONNET, call).cacheSavingsNanos()).isEqualTo(loss).isNegative();
    }

    @Test
    void shouldCreditABatchCallWithItsStandardCostLessWhatItWasCharged() {
        UsageEvent call = event(10_000, 1_000, 0, 0, 0, true);
        // charged: 10,000 x 1,500 + 1,000 x 7,500 = 22,500,000; standard: 10,000 x 3,000 + 1,000 x 15,000 = 45,000,000
        assertThat(savings(SONNET, call)).isEqualTo(new LeverSavings(0, 45_000_000L - 22_500_000L));
    }

    @Test
    void shouldCreditNothingToABatchCallOfAModelWithoutABatchRate() {
        UsageEvent call = event(10_000, 1_000, 0, 0, 0, true);
        // charged at the standard rates (the price's fallback): 10,000 x 150 + 1,000 x 600 = 2,100,000, the standard cost too
        CallCost cost = CallCost.of(call, Optional.of(NO_BATCH));
        assertThat(cost.priced()).isTrue();
        assertThat(cost.costNanos()).isEqualTo(2_100_000L);
        assertThat(LeverSavings.of(call, Optional.of(NO_BATCH), cost)).isEqualTo(new LeverSavings(0, 0));
    }

    @Test
    void shouldRepriceTheStandardCallAtTheLongContextTierForTheWholeCall() {
        UsageEvent call = event(250_000, 0, 0, 0, 0, true);
        // prompt 250,000 > 200,000: the tier's $6 input, scaled by batch's 1,500 / 3,000 -> 250,000 x 6,000 x 1/2 = 750,000,000;
        // standard: 250,000 x 6,000 = 1,500,000,000 (the tier's rate, not the $3 base)
        assertThat(savings(SONNET, call).batchSavingsNanos()).isEqualTo(1_500_000_000L - 750_000_000L);
    }

    @Test
    void shouldRoundTheCounterfactualAsThePricerRoundsAnyCall() {
        Rates tiny = new Rates(Instant.EPOCH, 1_500_000L, 0, 150_000L, 0, null, null, null, "x/tiny@1");
        UsageEvent call = event(1, 0, 1, 0, 0, false);
        // charged: input 1 x 1.5 = 1.5 -> 2; read 1 x 0.15 = 0.15 -> 0; without the cache: 2 x 1.5 = 3 -> 3
        assertThat(savings(tiny, call).cacheSavingsNanos()).isEqualTo(3 - 2);
    }

    @Test
    void shouldCreditNoProviderLeverOnAResponseCacheHitOrAnUnpricedCall() {
        UsageEvent hit = event(1_000, 200, 10_000, 0, 0, true);
        hit.setResponseCacheHit(true);
        assertThat(savings(SONNET, hit)).isEqualTo(LeverSavings.NONE);
        UsageEvent call = event(1_000, 200, 10_000, 0, 0, true);
        assertThat(LeverSavings.of(call, Optional.empty(), CallCost.of(call, Optional.empty()))).isEqualTo(LeverSavings.NONE);
    }

    private static LeverSavings savings(Rates rates, UsageEvent event) {
        return LeverSavings.of(event, Optional.of(rates), CallCost.of(event, Optional.of(rates)));
    }

    static UsageEvent event(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, boolean batch) {
        return UsageEvent.newBuilder().setEventId("e").setEventTime(Instant.EPOCH).setTenantId("t").setTaskId("task")
                .setTaskClass("c").setRoute("r").setProvider("p").setModel("m").setInputTokens(input).setOutputTokens(output)
                .setCacheReadTokens(cacheRead).setCacheWriteTokens(cacheWrite).setCacheWrite1hTokens(cacheWrite1h)
                .setBatch(batch).setStatus(CallStatus.OK).build();
    }
}
