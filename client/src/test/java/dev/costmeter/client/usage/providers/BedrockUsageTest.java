package dev.costmeter.client.usage.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixtures follow {@code TokenUsage} in the Bedrock Runtime API reference (Converse). */
class BedrockUsageTest {

    private static final String CONVERSE_RESPONSE = """
            {
              "output": {"message": {"role": "assistant", "content": [{"text": "Done."}]}},
              "stopReason": "end_turn",
              "usage": {
                "inputTokens": 45,
                "outputTokens": 312,
                "totalTokens": 2405,
                "cacheReadInputTokens": 1024,
                "cacheWriteInputTokens": 1024
              },
              "metrics": {"latencyMs": 1721}
            }
            """;

    @Test
    void shouldKeepInputTokensApartFromCacheReadsAndWrites() {
        TokenUsage usage = BedrockUsage.converse(CONVERSE_RESPONSE);

        assertThat(usage).isEqualTo(new TokenUsage(45, 312, 1024, 1024, 0));
        assertThat(usage.totalTokens()).as("matches totalTokens").isEqualTo(2405);
    }

    @Test
    void shouldMapAConverseCallWithoutPromptCaching() {
        assertThat(BedrockUsage.converse(Map.of("inputTokens", 30, "outputTokens", 628, "totalTokens", 658)))
                .isEqualTo(TokenUsage.of(30, 628));
    }

    @Test
    void shouldRejectAUsageWithoutInputTokens() {
        assertThatThrownBy(() -> BedrockUsage.converse(Map.of("outputTokens", 1)))
                .isInstanceOf(UsageShapeException.class)
                .hasMessageContaining("'inputTokens' is missing");
    }
}
