package dev.costmeter.client.usage.providers;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;

/**
 * AWS Bedrock Converse {@code usage}: {@code inputTokens}, {@code outputTokens},
 * {@code cacheReadInputTokens}, {@code cacheWriteInputTokens}. Like Anthropic's, Bedrock's
 * {@code inputTokens} <em>excludes</em> the cache fields, so each is taken as is. Converse does not
 * report reasoning apart from output, so reasoning is 0. {@code totalTokens} is not used.
 *
 * <p>Takes the usage object or the whole Converse response that holds it under {@code usage}.
 */
public final class BedrockUsage {

    /** The provider name for usage events. */
    public static final String PROVIDER = "bedrock";

    private BedrockUsage() {
    }

    /** @throws UsageShapeException when input or output tokens are missing or a count is invalid */
    public static TokenUsage converse(Map<String, ?> usageOrResponse) {
        UsageObject usage = UsageObject.of("bedrock converse", usageOrResponse, "usage");
        return new TokenUsage(
                usage.required("inputTokens"),
                usage.required("outputTokens"),
                usage.optional("cacheReadInputTokens"),
                usage.optional("cacheWriteInputTokens"),
                0);
    }

    /** {@link #converse(Map)} from JSON text. */
    public static TokenUsage converse(String json) {
        return converse(JsonObjects.parse("bedrock converse", json));
    }
}
