package dev.costmeter.client.usage.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Fixtures follow the usage objects in OpenAI's API reference for both APIs. */
class OpenAiUsageTest {

    /** A whole Chat Completions response, as the API reference shows it, with a cache hit and reasoning. */
    private static final String CHAT_RESPONSE = """
            {
              "id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG",
              "object": "chat.completion",
              "created": 1741570283,
              "model": "gpt-4o-2024-08-06",
              "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hi", "refusal": null},
                           "logprobs": null, "finish_reason": "stop"}],
              "usage": {
                "prompt_tokens": 1486,
                "completion_tokens": 651,
                "total_tokens": 2137,
                "prompt_tokens_details": {"cached_tokens": 1408, "audio_tokens": 0},
                "completion_tokens_details": {"reasoning_tokens": 512, "audio_tokens": 0,
                  "accepted_prediction_tokens": 0, "rejected_prediction_tokens": 0}
              },
              "service_tier": "default"
            }
            """;

    private static final String RESPONSES_USAGE = """
            {
              "input_tokens": 125,
              "input_tokens_details": {"cached_tokens": 98},
              "output_tokens": 48,
              "output_tokens_details": {"reasoning_tokens": 32},
              "total_tokens": 173
            }
            """;

    @Test
    void shouldBillOnlyUncachedPromptTokensAtTheFullRate() {
        TokenUsage usage = OpenAiUsage.chatCompletions(CHAT_RESPONSE);

        assertThat(usage).isEqualTo(new TokenUsage(1486 - 1408, 651, 1408, 0, 512));
        assertThat(usage.totalTokens()).as("every token counted once").isEqualTo(2137);
    }

    @Test
    void shouldKeepReasoningInsideOutputTokens() {
        TokenUsage usage = OpenAiUsage.responses(RESPONSES_USAGE);

        assertThat(usage).isEqualTo(new TokenUsage(27, 48, 98, 0, 32));
        assertThat(usage.totalTokens()).isEqualTo(173);
    }

    @Test
    void shouldMapAChatUsageWithoutDetailsAsAllFullRate() {
        TokenUsage usage = OpenAiUsage.chatCompletions(Map.of("prompt_tokens", 19, "completion_tokens", 10, "total_tokens", 29));

        assertThat(usage).isEqualTo(TokenUsage.of(19, 10));
    }

    @Test
    void shouldAcceptMapsFromLibrariesThatParseNumbersAsDoubles() {
        Map<String, Object> gsonStyle = Map.of(
                "input_tokens", 125.0, "output_tokens", 48.0,
                "input_tokens_details", Map.of("cached_tokens", 98.0));

        assertThat(OpenAiUsage.responses(gsonStyle)).isEqualTo(new TokenUsage(27, 48, 98, 0, 0));
    }

    @Test
    void shouldRejectMoreCachedTokensThanPromptTokens() {
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions("""
                {"prompt_tokens": 100, "completion_tokens": 5, "prompt_tokens_details": {"cached_tokens": 101}}
                """))
                .isInstanceOf(UsageShapeException.class)
                .hasMessageContaining("cached_tokens 101 exceed the prompt's 100 tokens");
    }

    @Test
    void shouldRejectMoreReasoningThanOutput() {
        assertThatThrownBy(() -> OpenAiUsage.responses(Map.of("input_tokens", 10, "output_tokens", 5,
                "output_tokens_details", Map.of("reasoning_tokens", 6))))
                .isInstanceOf(UsageShapeException.class)
                .hasMessageContaining("reasoning_tokens 6");
    }

    @Test
    void shouldRejectMissingCountsFractionsAndNegatives() {
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions(Map.of("completion_tokens", 5)))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("'prompt_tokens' is missing");
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions(Map.of("prompt_tokens", 1.5, "completion_tokens", 5)))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions(Map.of("prompt_tokens", -1, "completion_tokens", 5)))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions(Map.of("prompt_tokens", "12", "completion_tokens", 5)))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("not a number");
    }

    @Test
    void shouldRejectMalformedJson() {
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions("{\"prompt_tokens\": 1,"))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("malformed");
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions("[1, 2]"))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("not an object");
        assertThatThrownBy(() -> OpenAiUsage.chatCompletions("{} {}"))
                .isInstanceOf(UsageShapeException.class).hasMessageContaining("trailing");
    }

    @Test
    void shouldReadTheServiceTierTheResponseWasBilledIn() {
        assertThat(OpenAiUsage.serviceTier(JsonObjects.parse("test",
                "{\"object\": \"chat.completion\", \"service_tier\": \"flex\", \"usage\": {}}"))).isEqualTo("flex");
        assertThat(OpenAiUsage.serviceTier(JsonObjects.parse("test", "{\"usage\": {}}"))).isNull();
        assertThatThrownBy(() -> OpenAiUsage.serviceTier(JsonObjects.parse("test", "{\"service_tier\": 3}")))
                .isInstanceOf(UsageShapeException.class);
    }
}
