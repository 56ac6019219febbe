package dev.costmeter.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.LongContextCombination;
import dev.costmeter.contracts.LongContextTier;
import dev.costmeter.contracts.ServiceTierRates;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Calls as providers report them, priced to the nano-USD against amounts computed by hand (each
 * written out beside its assertion). Rates are the providers' list prices in nano-USD per million
 * tokens ($1 = 1,000,000,000).
 */
class PricingDimensionsTest {

    /** Claude Sonnet 4.5: $3 in, $15 out, reads $0.30, 5-minute writes $3.75 (1.25x), 1-hour $6 (2x); >200k prompt doubles input. */
    private static final Rates SONNET = new Rates(Instant.EPOCH, 3_000_000_000L, 15_000_000_000L, 300_000_000L,
            3_750_000_000L, 1_500_000_000L, 7_500_000_000L,
            longContext(200_000, 6_000_000_000L, 22_500_000_000L, 600_000_000L, 7_500_000_000L, 12_000_000_000L,
                    LongContextCombination.MULTIPLY, LongContextCombination.NOT_AVAILABLE),
            "anthropic/claude-sonnet-4-5@1", 6_000_000_000L, Map.of(), Map.of("web_search", 10_000_000L));

    /** GPT-5: $1.25 in, $10 out, cached $0.125; flex half of that, priority double. */
    private static final Rates GPT_5 = new Rates(Instant.EPOCH, 1_250_000_000L, 10_000_000_000L, 125_000_000L, 0,
            625_000_000L, 5_000_000_000L, null, "openai/gpt-5@1", null,
            Map.of("flex", tier(625_000_000L, 5_000_000_000L, 62_500_000L),
                    "priority", tier(2_500_000_000L, 20_000_000_000L, 250_000_000L)),
            Map.of());

    private static final String ANTHROPIC_MESSAGE = """
            {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message", "role": "assistant",
             "model": "claude-sonnet-4-5-20250929", "stop_reason": "end_turn",
             "usage": {"input_tokens": 2095, "cache_creation_input_tokens": 6000, "cache_read_input_tokens": 14000,
                       "cache_creation": {"ephemeral_5m_input_tokens": 2000, "ephemeral_1h_input_tokens": 4000},
                       "output_tokens": 503, "service_tier": "standard",
                       "server_tool_use": {"web_search_requests": 3}}}
            """;

    private static final String OPENAI_RESPONSE = """
            {"id": "chatcmpl-C9x2", "object": "chat.completion", "model": "gpt-5-2025-08-07", "service_tier": "%s",
             "usage": {"prompt_tokens": 1200, "completion_tokens": 800, "total_tokens": 2000,
                       "prompt_tokens_details": {"cached_tokens": 1000, "audio_tokens": 0},
                       "completion_tokens_details": {"reasoning_tokens": 512, "audio_tokens": 0}}}
            """;

    private static final String GEMINI_RESPONSE = """
            {"candidates": [{"content": {"parts": [{"text": "..."}], "role": "model"}, "finishReason": "STOP"}],
             "modelVersion": "gemini-2.5-pro",
             "usageMetadata": {"promptTokenCount": 250000, "cachedContentTokenCount": 50000,
                               "candidatesTokenCount": 2000, "thoughtsTokenCount": 1500, "totalTokenCount": 253500}}
            """;

    @Test
    void shouldPriceAnthropicFiveMinuteAndOneHourCacheWritesAtTheirOwnRatesAndWebSearchesPerSearch() {
        Cost cost = Pricer.price(SONNET, ProviderUsage.anthropic(ANTHROPIC_MESSAGE));

        assertThat(cost.input()).isEqualTo(6_285_000L);          // 2,095 x $3/M = $0.006285
        assertThat(cost.output()).isEqualTo(7_545_000L);         // 503 x $15/M = $0.007545
        assertThat(cost.cacheRead()).isEqualTo(4_200_000L);      // 14,000 x $0.30/M = $0.0042
        assertThat(cost.cacheWrite1h()).isEqualTo(24_000_000L);  // 4,000 x $6/M = $0.024
        assertThat(cost.cacheWrite()).isEqualTo(31_500_000L);    // + 2,000 x $3.75/M = $0.0075
        assertThat(cost.requestFees()).isEqualTo(30_000_000L);   // 3 searches x $10/1000 = $0.03
        assertThat(cost.total()).isEqualTo(79_530_000L);
        assertThat(cost.serviceTier()).isNull();
    }

    @Test
    void shouldPriceOneHourWritesAsFiveMinuteWritesOnlyNeverWhenThePriceHasNoOneHourRate() {
        Rates noOneHourRate = new Rates(Instant.EPOCH, 3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L,
                null, null, null, "anthropic/claude-sonnet-4-5@old");

        assertThatThrownBy(() -> Pricer.price(noOneHourRate, ProviderUsage.anthropic(ANTHROPIC_MESSAGE)))
                .isInstanceOf(MissingRateException.class)
                .hasMessage("anthropic/claude-sonnet-4-5@old has no 1-hour cache-write rate");
    }

    @Test
    void shouldPriceOpenAiFlexAndPriorityAtTheirTierRatesAndDefaultAtTheStandardRates() {
        Cost flex = Pricer.price(GPT_5, ProviderUsage.openAi(OPENAI_RESPONSE.formatted("flex")));
        assertThat(flex.input()).isEqualTo(125_000L);            // 200 x $0.625/M
        assertThat(flex.cacheRead()).isEqualTo(62_500L);         // 1,000 x $0.0625/M
        assertThat(flex.output()).isEqualTo(4_000_000L);         // 800 x $5/M
        assertThat(flex.total()).isEqualTo(4_187_500L);
        assertThat(flex.serviceTier()).isEqualTo("flex");

        Cost priority = Pricer.price(GPT_5, ProviderUsage.openAi(OPENAI_RESPONSE.formatted("priority")));
        assertThat(priority.total()).isEqualTo(500_000L + 250_000L + 16_000_000L); // 200 x $2.50, 1,000 x $0.25, 800 x $20

        Cost standard = Pricer.price(GPT_5, ProviderUsage.openAi(OPENAI_RESPONSE.formatted("default")));
        assertThat(standard.total()).isEqualTo(250_000L + 125_000L + 8_000_000L); // 200 x $1.25, 1,000 x $0.125, 800 x $10
        assertThat(standard.serviceTier()).isNull();
    }

    @Test
    void shouldRefuseAServiceTierThePriceHasNoRatesFor() {
        assertThatThrownBy(() -> Pricer.price(GPT_5, ProviderUsage.openAi(OPENAI_RESPONSE.formatted("scale"))))
                .isInstanceOf(MissingRateException.class)
                .hasMessage("openai/gpt-5@1 has no rates for service tier 'scale'");
    }

    @Test
    void shouldPriceTheWholeGeminiCallAtLongContextRatesAbove200kPromptTokens() {
        Cost cost = Pricer.price(gemini(LongContextCombination.MULTIPLY), ProviderUsage.gemini(GEMINI_RESPONSE, false));

        assertThat(cost.longContext()).isTrue();
        assertThat(cost.input()).isEqualTo(500_000_000L);        // 200,000 x $2.50/M
        assertThat(cost.cacheRead()).isEqualTo(12_500_000L);     // 50,000 x $0.25/M
        assertThat(cost.output()).isEqualTo(52_500_000L);        // (2,000 + 1,500 thinking) x $15/M
        assertThat(cost.total()).isEqualTo(565_000_000L);
    }

    @Test
    void shouldScaleLongContextRatesByTheBatchDiscountWhenThePriceSaysMultiply() {
        Cost cost = Pricer.price(gemini(LongContextCombination.MULTIPLY), ProviderUsage.gemini(GEMINI_RESPONSE, true));

        assertThat(cost.longContext()).isTrue();
        assertThat(cost.input()).isEqualTo(250_000_000L);        // 200,000 x $2.50 x (0.625 / 1.25) /M
        assertThat(cost.output()).isEqualTo(26_250_000L);        // 3,500 x $15 x (5 / 10) /M
        assertThat(cost.cacheRead()).isEqualTo(12_500_000L);     // no batch cache-read rate: ratio 1
        assertThat(cost.total()).isEqualTo(288_750_000L);
    }

    @Test
    void shouldApplyTheLongContextRatesAloneToABatchCallWhenThePriceSaysTierReplaces() {
        Cost cost = Pricer.price(gemini(LongContextCombination.TIER_REPLACES), ProviderUsage.gemini(GEMINI_RESPONSE, true));

        assertThat(cost.total()).isEqualTo(565_000_000L);
    }

    @Test
    void shouldRefuseALongContextBatchCallWhenThePriceSaysNotAvailable() {
        assertThatThrownBy(() -> Pricer.price(gemini(LongContextCombination.NOT_AVAILABLE),
                ProviderUsage.gemini(GEMINI_RESPONSE, true)))
                .isInstanceOf(MissingRateException.class)
                .hasMessage("google/gemini-2.5-pro@1 does not sell long-context calls (prompt above 200000 tokens) through batch");
    }

    @Test
    void shouldPriceAnAnthropicLongContextBatchCallWithEveryTokenKindScaled() {
        String message = """
                {"usage": {"input_tokens": 150000, "cache_creation_input_tokens": 30000, "cache_read_input_tokens": 40000,
                           "cache_creation": {"ephemeral_5m_input_tokens": 10000, "ephemeral_1h_input_tokens": 20000},
                           "output_tokens": 1001, "service_tier": "batch"}}
                """;
        Cost cost = Pricer.price(SONNET, ProviderUsage.anthropic(message));

        assertThat(cost.longContext()).isTrue();                 // 150,000 + 40,000 + 30,000 > 200,000
        assertThat(cost.input()).isEqualTo(450_000_000L);        // 150,000 x $6 x (1.50 / 3) /M
        assertThat(cost.output()).isEqualTo(11_261_250L);        // 1,001 x $22.50 x (7.50 / 15) /M = $0.01126125
        assertThat(cost.cacheRead()).isEqualTo(24_000_000L);     // 40,000 x $0.60/M (batch keeps the read rate)
        assertThat(cost.cacheWrite()).isEqualTo(75_000_000L + 240_000_000L); // 10,000 x $7.50/M + 20,000 x $12/M
        assertThat(cost.total()).isEqualTo(800_261_250L);
    }

    @Test
    void shouldRoundAScaledLongContextComponentHalfUpOnceAfterScaling() {
        // tokens x tier rate x (modified / base) / 1,000,000, rounded once: 3 x 1,000,000 x 1/2 = 1.5 nano-USD -> 2;
        // 7 x 1,000,000 x 1/5 = 1.4 -> 1; 2,499,999 x 1/5 = 0.4999998 -> 0; 2,500,000 x 1/5 = 0.5 -> 1.
        assertThat(Pricer.scaledComponent(3, 1_000_000, 1, 2)).isEqualTo(2);
        assertThat(Pricer.scaledComponent(7, 1_000_000, 1, 5)).isEqualTo(1);
        assertThat(Pricer.scaledComponent(1, 2_499_999, 1, 5)).isEqualTo(0);
        assertThat(Pricer.scaledComponent(1, 2_500_000, 1, 5)).isEqualTo(1);
    }

    @Test
    void shouldRefuseARequestKindThePriceHasNoFeeFor() {
        Call call = new Call(new Pricer.Tokens(10, 10, 0, 0), 0, false, null, Map.of("code_execution", 1L));
        assertThatThrownBy(() -> Pricer.price(SONNET, call))
                .isInstanceOf(MissingRateException.class)
                .hasMessage("anthropic/claude-sonnet-4-5@1 has no fee for request kind 'code_execution'");
    }

    @Test
    void shouldFailClearlyWhenFeesOverflowALong() {
        Call call = new Call(new Pricer.Tokens(0, 0, 0, 0), 0, false, null, Map.of("web_search", Long.MAX_VALUE / 2));
        assertThatThrownBy(() -> Pricer.price(SONNET, call)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldRefuseMoreOneHourWritesThanWrites() {
        assertThatThrownBy(() -> new Call(new Pricer.Tokens(0, 0, 0, 10), 11, false, null, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cache_write_1h_tokens (11) is a part of cache_write_tokens and cannot exceed it (10)");
    }

    private static Rates gemini(LongContextCombination withBatch) {
        return new Rates(Instant.EPOCH, 1_250_000_000L, 10_000_000_000L, 125_000_000L, 0, 625_000_000L, 5_000_000_000L,
                longContext(200_000, 2_500_000_000L, 15_000_000_000L, 250_000_000L, 0, null, withBatch,
                        LongContextCombination.NOT_AVAILABLE),
                "google/gemini-2.5-pro@1", null, Map.of(), Map.of());
    }

    private static LongContextTier longContext(long threshold, long input, long output, long cacheRead, long cacheWrite,
            Long cacheWrite1h, LongContextCombination withBatch, LongContextCombination withServiceTier) {
        return LongContextTier.newBuilder().setThresholdPromptTokens(threshold).setInputNanosPerMtok(input)
                .setOutputNanosPerMtok(output).setCacheReadNanosPerMtok(cacheRead).setCacheWriteNanosPerMtok(cacheWrite)
                .setCacheWrite1hNanosPerMtok(cacheWrite1h).setWithBatch(withBatch).setWithServiceTier(withServiceTier)
                .build();
    }

    private static ServiceTierRates tier(long input, long output, long cacheRead) {
        return ServiceTierRates.newBuilder().setInputNanosPerMtok(input).setOutputNanosPerMtok(output)
                .setCacheReadNanosPerMtok(cacheRead).build();
    }
}
