package dev.costmeter.faults.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The oracle's arithmetic against amounts worked out by hand. */
class CostOracleTest {

    private static final Instant FROM = Instant.parse("2025-01-01T00:00:00Z");

    @Test
    void shouldRoundEachComponentHalfUpToAWholeNano() {
        assertThat(CostOracle.component(1, 499_999)).isEqualTo(BigInteger.ZERO);      // 0.499999
        assertThat(CostOracle.component(1, 500_000)).isEqualTo(BigInteger.ONE);       // 0.5 up
        assertThat(CostOracle.component(3, 1_500_000)).isEqualTo(BigInteger.valueOf(5)); // 4.5 up, not to even
        assertThat(CostOracle.component(5, 1_500_000)).isEqualTo(BigInteger.valueOf(8)); // 7.5 up
        assertThat(CostOracle.component(1_234, 3_000_123)).isEqualTo(BigInteger.valueOf(3_702)); // 3702.151782
        assertThat(CostOracle.component(1_000_000, 2_500_000_000L)).isEqualTo(BigInteger.valueOf(2_500_000_000L));
    }

    @Test
    void shouldChargeTheSumOfTheRoundedComponents() {
        // 1000 × 3.000123 = 3000.123 → 3000; 500 × 15.000457 = 7500.2285 → 7500;
        // 2000 × 0.300011 = 600.022 → 600; 4000 × 3.750151 = 15000.604 → 15001
        ExpectedCost cost = CostOracle.price(CampaignPrices.SONNET, new Tokens(1_000, 500, 2_000, 4_000), false, false);
        assertThat(List.of(cost.input(), cost.output(), cost.cacheRead(), cost.cacheWrite())).containsExactly(
                BigInteger.valueOf(3_000), BigInteger.valueOf(7_500), BigInteger.valueOf(600), BigInteger.valueOf(15_001));
        assertThat(cost.total()).isEqualTo(BigInteger.valueOf(26_101));
        assertThat(cost.savings()).isZero();
        assertThat(cost.priceVersion()).isEqualTo("anthropic/fc-sonnet@2025-01-01T00:00:00Z");
    }

    @Test
    void shouldUseBatchRatesForInputAndOutputOnlyOnABatchCall() {
        Tokens tokens = new Tokens(1_000, 200, 1_000, 0);
        // batch: 1000 × 0.750038 = 750.038 → 750; 200 × 3.000155 = 600.031 → 600; cache read at its own rate 750.039 → 750
        ExpectedCost batch = CostOracle.price(CampaignPrices.MINI, tokens, true, false);
        assertThat(batch.input()).isEqualTo(BigInteger.valueOf(750));
        assertThat(batch.output()).isEqualTo(BigInteger.valueOf(600));
        assertThat(batch.cacheRead()).isEqualTo(BigInteger.valueOf(750));
        // not batch: 1500.077 → 1500; 1200.0622 → 1200
        ExpectedCost full = CostOracle.price(CampaignPrices.MINI, tokens, false, false);
        assertThat(full.input()).isEqualTo(BigInteger.valueOf(1_500));
        assertThat(full.output()).isEqualTo(BigInteger.valueOf(1_200));
    }

    @Test
    void shouldUseTheFullRateOnABatchCallToAModelWithoutBatchRates() {
        ExpectedCost cost = CostOracle.price(CampaignPrices.SONNET, new Tokens(1_000, 0, 0, 0), true, false);
        assertThat(cost.input()).isEqualTo(BigInteger.valueOf(3_000));
    }

    @Test
    void shouldReplaceTheBaseRatesAboveTheLongContextThresholdOnly() {
        // exactly at the threshold: base rates. 200000 × 1.250091 = 250018.2 → 250018; 100 × 10.000093 = 1000.0093 → 1000
        ExpectedCost at = CostOracle.price(CampaignPrices.PRO, new Tokens(200_000, 100, 0, 0), false, false);
        assertThat(at.longContext()).isFalse();
        assertThat(at.total()).isEqualTo(BigInteger.valueOf(251_018));
        // one above: the tier. 200001 × 2.500187 = 500039.900187 → 500040; 100 × 15.000201 = 1500.0201 → 1500
        ExpectedCost above = CostOracle.price(CampaignPrices.PRO, new Tokens(200_001, 100, 0, 0), false, false);
        assertThat(above.longContext()).isTrue();
        assertThat(above.total()).isEqualTo(BigInteger.valueOf(501_540));
        // cache reads count toward the prompt: 190000 + 10001 > 200000.
        // 190000 × 2.500187 = 475035.53 → 475036; 10001 × 0.625047 = 6251.095047 → 6251
        ExpectedCost cached = CostOracle.price(CampaignPrices.PRO, new Tokens(190_000, 0, 10_001, 0), false, false);
        assertThat(cached.longContext()).isTrue();
        assertThat(cached.total()).isEqualTo(BigInteger.valueOf(475_036 + 6_251));
    }

    @Test
    void shouldChargeNothingForAResponseCacheHitAndRecordTheSavings() {
        // 1000 × 0.500021 = 500.021 → 500; 100 × 4.000067 = 400.0067 → 400
        ExpectedCost hit = CostOracle.price(CampaignPrices.NANO, new Tokens(1_000, 100, 0, 0), false, true);
        assertThat(hit.total()).isZero();
        assertThat(hit.savings()).isEqualTo(BigInteger.valueOf(900));
        assertThat(hit.priced()).isTrue();
        assertThat(hit.priceVersion()).isEqualTo(CampaignPrices.NANO.priceVersion());
    }

    @Test
    void shouldSeeThatTenMillionTokensAtTheAbsurdRateOverflowALong() {
        ExpectedCost cost = CostOracle.price(CampaignPrices.OVERFLOW, new Tokens(10_000_000, 0, 0, 0), false, false);
        assertThat(cost.total()).isEqualTo(new BigInteger("90000000000000000000"));
        assertThat(cost.fitsInLong()).isFalse();
    }

    @Test
    void shouldPriceWithTheVersionInForceAtTheEventTime() {
        ModelPrice old = new ModelPrice("p", "m", FROM, 1_000_000, 0, 0, 0, null, null, null);
        ModelPrice newer = new ModelPrice("p", "m", FROM.plusSeconds(3_600), 2_000_000, 0, 0, 0, null, null, null);
        assertThat(CostOracle.inForce(List.of(newer, old), FROM.minusMillis(1))).isEmpty();
        assertThat(CostOracle.inForce(List.of(newer, old), FROM)).contains(old);
        assertThat(CostOracle.inForce(List.of(newer, old), FROM.plusSeconds(3_599))).contains(old);
        assertThat(CostOracle.inForce(List.of(newer, old), FROM.plusSeconds(3_600))).contains(newer);
    }

    @Test
    void shouldRefuseABatchCallAboveTheLongContextThreshold() {
        ModelPrice tiered = new ModelPrice("p", "m", FROM, 1, 1, 0, 0, 1L, 1L, new ModelPrice.LongContext(10, 2, 2, 0, 0));
        assertThatThrownBy(() -> CostOracle.price(tiered, new Tokens(11, 0, 0, 0), true, false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldWriteTheCatalogWithExactDecimalRates() {
        String yaml = CampaignPrices.catalogYaml();
        assertThat(yaml).contains("input_per_mtok: \"0.003000123\"", "batch_input_per_mtok: \"0.000750038\"",
                "threshold_prompt_tokens: 200000", "input_per_mtok: \"9000000000.000000000\"");
        assertThat(CampaignPrices.usd(1)).isEqualTo("0.000000001");
    }
}
