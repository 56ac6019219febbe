package dev.costmeter.client.usage.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixtures follow the generateContent response's {@code usageMetadata} in the Gemini API reference. */
class GeminiUsageTest {

    /** A thinking model's response whose prompt was partly served from a context cache. */
    private static final String RESPONSE = """
            {
              "candidates": [{"content": {"parts": [{"text": "42"}], "role": "model"}, "finishReason": "STOP", "index": 0}],
              "usageMetadata": {
                "promptTokenCount": 12000,
                "cachedContentTokenCount": 8000,
                "candidatesTokenCount": 250,
                "thoughtsTokenCount": 1100,
                "totalTokenCount": 13350,
                "promptTokensDetails": [{"modality": "TEXT", "tokenCount": 12000}],
                "cacheTokensDetails": [{"modality": "TEXT", "tokenCount": 8000}]
              },
              "modelVersion": "gemini-2.5-flash",
              "responseId": "mCPVaNqCJ5Gk1dkPo7ySuAg"
            }
            """;

    @Test
    void shouldSubtractCachedContentAndBillThoughtsAsOutput() {
        TokenUsage usage = GeminiUsage.generateContent(RESPONSE);

        assertThat(usage).isEqualTo(new TokenUsage(4000, 1350, 8000, 0, 1100));
        assertThat(usage.totalTokens()).as("matches totalTokenCount").isEqualTo(13350);
    }

    @Test
    void shouldCountToolUsePromptTokensAsFullRateInput() {
        TokenUsage usage = GeminiUsage.generateContent(Map.of(
                "promptTokenCount", 100, "candidatesTokenCount", 20, "toolUsePromptTokenCount", 300, "totalTokenCount", 420));

        assertThat(usage).isEqualTo(TokenUsage.of(400, 20));
    }

    @Test
    void shouldMapANonThinkingUncachedCall() {
        TokenUsage usage = GeminiUsage.generateContent("""
                {"promptTokenCount": 4, "candidatesTokenCount": 542, "totalTokenCount": 546}
                """);

        assertThat(usage).isEqualTo(TokenUsage.of(4, 542));
    }

    @Test
    void shouldRejectMoreCachedContentThanPrompt() {
        assertThatThrownBy(() -> GeminiUsage.generateContent(Map.of("promptTokenCount", 10, "cachedContentTokenCount", 11)))
                .isInstanceOf(UsageShapeException.class)
                .hasMessageContaining("cachedContentTokenCount 11 exceeds promptTokenCount 10");
    }
}
