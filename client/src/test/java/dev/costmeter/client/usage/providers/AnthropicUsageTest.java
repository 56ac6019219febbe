package dev.costmeter.client.usage.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.client.usage.TokenUsage;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixtures follow the Messages API reference and the prompt-caching guide. */
class AnthropicUsageTest {

    /** A whole Messages response that read a cached system prompt and wrote a new cache entry. */
    private static final String MESSAGE = """
            {
              "id": "msg_01XFDUDYJgAACzvnptvVoYEL",
              "type": "message",
              "role": "assistant",
              "model": "claude-sonnet-4-5",
              "content": [{"type": "text", "text": "Hello!"}],
              "stop_reason": "end_turn",
              "stop_sequence": null,
              "usage": {
                "input_tokens": 21,
                "cache_creation_input_tokens": 188086,
                "cache_read_input_tokens": 1200,
                "cache_creation": {"ephemeral_5m_input_tokens": 188086, "ephemeral_1h_input_tokens": 0},
                "output_tokens": 393,
                "service_tier": "standard"
              }
            }
            """;

    /** A response with 1-hour cache writes beside 5-minute ones and a web search (usage object of the Messages API). */
    private static final String ONE_HOUR_AND_SEARCH = """
            {
              "usage": {
                "input_tokens": 50,
                "cache_creation_input_tokens": 3000,
                "cache_read_input_tokens": 0,
                "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 2000},
                "output_tokens": 120,
                "server_tool_use": {"web_search_requests": 2},
                "service_tier": "priority"
              }
            }
            """;

    @Test
    void shouldKeepTheOneHourCacheWritesApartFromTheFiveMinuteOnes() {
        Map<String, ?> message = JsonObjects.parse("test", ONE_HOUR_AND_SEARCH);
        assertThat(AnthropicUsage.messages(message)).isEqualTo(new TokenUsage(50, 120, 0, 3000, 0, 2000));
        assertThat(AnthropicUsage.webSearchRequests(message)).isEqualTo(2);
        assertThat(AnthropicUsage.serviceTier(message)).isEqualTo("priority");
        assertThat(AnthropicUsage.serviceTier(JsonObjects.parse("test", MESSAGE))).isEqualTo("standard");
        assertThat(AnthropicUsage.webSearchRequests(JsonObjects.parse("test", MESSAGE))).isZero();
    }

    @Test
    void shouldRefuseMoreOneHourWritesThanWrites() {
        assertThatThrownBy(() -> AnthropicUsage.messages(Map.of("input_tokens", 1, "output_tokens", 1,
                "cache_creation_input_tokens", 10, "cache_creation", Map.of("ephemeral_1h_input_tokens", 11))))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("ephemeral_1h_input_tokens 11");
    }

    @Test
    void shouldTakeInputTokensAsIsBecauseTheyAlreadyExcludeCacheTokens() {
        TokenUsage usage = AnthropicUsage.messages(MESSAGE);

        assertThat(usage).isEqualTo(new TokenUsage(21, 393, 1200, 188086, 0));
        assertThat(usage.totalTokens()).as("prompt = input + cache read + cache write, plus output")
                .isEqualTo(21 + 188086 + 1200 + 393);
    }

    @Test
    void shouldTreatNullOrAbsentCacheFieldsAsZero() {
        Map<String, Object> usage = new HashMap<>();
        usage.put("input_tokens", 2095);
        usage.put("output_tokens", 503);
        usage.put("cache_creation_input_tokens", null);

        assertThat(AnthropicUsage.messages(usage)).isEqualTo(TokenUsage.of(2095, 503));
    }

    @Test
    void shouldRejectAUsageWithoutOutputTokens() {
        assertThatThrownBy(() -> AnthropicUsage.messages("{\"usage\": {\"input_tokens\": 3}}"))
                .isInstanceOf(UsageShapeException.class)
                .hasMessageContaining("'output_tokens' is missing");
    }
}
