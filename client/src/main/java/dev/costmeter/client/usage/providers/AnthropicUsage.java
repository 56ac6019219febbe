package dev.costmeter.client.usage.providers;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;

/**
 * Anthropic Messages usage: {@code input_tokens}, {@code output_tokens},
 * {@code cache_creation_input_tokens}, {@code cache_read_input_tokens}. Unlike OpenAI, Anthropic's
 * {@code input_tokens} already <em>excludes</em> both cache fields (the prompt is the sum of the
 * three), so it is taken as is; subtracting the cache reads again is the classic double count.
 * Extended thinking is billed as output and included in {@code output_tokens}, but not reported
 * apart, so reasoning is 0. The 5-minute and 1-hour cache writes are summed into cache writes.
 *
 * <p>Takes the usage object or the whole message that holds it under {@code usage}; also fits
 * Claude on Bedrock's InvokeModel and Vertex AI, which return the same object.
 */
public final class AnthropicUsage {

    /** The provider name for usage events. */
    public static final String PROVIDER = "anthropic";

    private AnthropicUsage() {
    }

    /** @throws UsageShapeException when input or output tokens are missing or a count is invalid */
    public static TokenUsage messages(Map<String, ?> usageOrMessage) {
        UsageObject usage = UsageObject.of("anthropic messages", usageOrMessage, "usage");
        return new TokenUsage(
                usage.required("input_tokens"),
                usage.required("output_tokens"),
                usage.optional("cache_read_input_tokens"),
                usage.optional("cache_creation_input_tokens"),
                0);
    }

    /** {@link #messages(Map)} from JSON text. */
    public static TokenUsage messages(String json) {
        return messages(JsonObjects.parse("anthropic messages", json));
    }
}
