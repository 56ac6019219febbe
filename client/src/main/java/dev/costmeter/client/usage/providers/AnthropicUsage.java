package dev.costmeter.client.usage.providers;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;

/**
 * Anthropic Messages usage: {@code input_tokens}, {@code output_tokens},
 * {@code cache_creation_input_tokens}, {@code cache_read_input_tokens}. Unlike OpenAI, Anthropic's
 * {@code input_tokens} already <em>excludes</em> both cache fields (the prompt is the sum of the
 * three), so it is taken as is; subtracting the cache reads again is the classic double count.
 * Extended thinking is billed as output and included in {@code output_tokens}, but not reported
 * apart, so reasoning is 0. {@code cache_creation_input_tokens} counts every cache write; the part
 * written with a 1-hour lifetime ({@code cache_creation.ephemeral_1h_input_tokens}) costs 2x input
 * where the 5-minute writes cost 1.25x, so it is kept apart ({@link TokenUsage#cacheWrite1hTokens()}).
 * The service tier and the web searches billed per request are read by {@link #serviceTier(Map)} and
 * {@link #webSearchRequests(Map)}.
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
        long writes = usage.optional("cache_creation_input_tokens");
        long oneHour = usage.nested("cache_creation", "ephemeral_1h_input_tokens");
        if (writes == 0 && oneHour > 0) {
            // only the breakdown given: the writes are its two parts
            writes = Math.addExact(oneHour, usage.nested("cache_creation", "ephemeral_5m_input_tokens"));
        }
        if (oneHour > writes) {
            throw new UsageShapeException("anthropic messages: cache_creation.ephemeral_1h_input_tokens " + oneHour
                    + " exceeds cache_creation_input_tokens " + writes);
        }
        return new TokenUsage(
                usage.required("input_tokens"),
                usage.required("output_tokens"),
                usage.optional("cache_read_input_tokens"),
                writes,
                0,
                oneHour);
    }

    /** {@code usage.service_tier} ({@code standard}, {@code priority}, {@code batch}); null when absent. */
    public static String serviceTier(Map<String, ?> usageOrMessage) {
        Object tier = UsageObject.of("anthropic messages", usageOrMessage, "usage").text("service_tier");
        return tier == null ? null : tier.toString();
    }

    /** {@code usage.server_tool_use.web_search_requests}: web searches billed per request; 0 when absent. */
    public static long webSearchRequests(Map<String, ?> usageOrMessage) {
        return UsageObject.of("anthropic messages", usageOrMessage, "usage").nested("server_tool_use", "web_search_requests");
    }

    /** {@link #messages(Map)} from JSON text. */
    public static TokenUsage messages(String json) {
        return messages(JsonObjects.parse("anthropic messages", json));
    }
}
