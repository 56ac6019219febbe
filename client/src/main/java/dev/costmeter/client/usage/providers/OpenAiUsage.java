package dev.costmeter.client.usage.providers;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;

/**
 * OpenAI's usage objects. Both APIs report the prompt <em>including</em> its cached part and the
 * output <em>including</em> reasoning, so full-rate input is prompt minus cached, and output is
 * taken as reported. OpenAI has no separate cache-write charge, so cache writes are 0.
 *
 * <p>Each method takes the usage object or the whole response that holds it under {@code usage}.
 */
public final class OpenAiUsage {

    /** The provider name for usage events. */
    public static final String PROVIDER = "openai";

    private OpenAiUsage() {
    }

    /**
     * Chat Completions: {@code prompt_tokens}, {@code completion_tokens},
     * {@code prompt_tokens_details.cached_tokens}, {@code completion_tokens_details.reasoning_tokens}.
     *
     * @throws UsageShapeException when a count is missing or cached exceeds prompt tokens
     */
    public static TokenUsage chatCompletions(Map<String, ?> usageOrResponse) {
        UsageObject usage = UsageObject.of("openai chat completions", usageOrResponse, "usage");
        return map(usage, usage.required("prompt_tokens"), usage.nested("prompt_tokens_details", "cached_tokens"),
                usage.required("completion_tokens"), usage.nested("completion_tokens_details", "reasoning_tokens"));
    }

    /** {@link #chatCompletions(Map)} from JSON text. */
    public static TokenUsage chatCompletions(String json) {
        return chatCompletions(JsonObjects.parse("openai chat completions", json));
    }

    /**
     * Responses: {@code input_tokens}, {@code output_tokens}, {@code input_tokens_details.cached_tokens},
     * {@code output_tokens_details.reasoning_tokens}.
     *
     * @throws UsageShapeException when a count is missing or cached exceeds input tokens
     */
    public static TokenUsage responses(Map<String, ?> usageOrResponse) {
        UsageObject usage = UsageObject.of("openai responses", usageOrResponse, "usage");
        return map(usage, usage.required("input_tokens"), usage.nested("input_tokens_details", "cached_tokens"),
                usage.required("output_tokens"), usage.nested("output_tokens_details", "reasoning_tokens"));
    }

    /** {@link #responses(Map)} from JSON text. */
    public static TokenUsage responses(String json) {
        return responses(JsonObjects.parse("openai responses", json));
    }

    /**
     * The top-level {@code service_tier} of a Chat Completions or Responses body ({@code default},
     * {@code flex}, {@code priority}, ...): the tier the call was billed in, which a
     * {@code service_tier: "auto"} request only learns from the response. Null when absent.
     */
    public static String serviceTier(Map<String, ?> response) {
        if (response == null) {
            throw new UsageShapeException("openai: the response is null");
        }
        Object tier = response.get("service_tier");
        if (tier != null && !(tier instanceof CharSequence)) {
            throw new UsageShapeException("openai: 'service_tier' is not text: " + tier);
        }
        return tier == null ? null : tier.toString();
    }

    private static TokenUsage map(UsageObject usage, long prompt, long cached, long output, long reasoning) {
        if (cached > prompt) {
            throw new UsageShapeException(usage.provider() + ": cached_tokens " + cached
                    + " exceed the prompt's " + prompt + " tokens, which include them");
        }
        if (reasoning > output) {
            throw new UsageShapeException(usage.provider() + ": reasoning_tokens " + reasoning
                    + " exceed the output's " + output + " tokens, which include them");
        }
        return new TokenUsage(prompt - cached, output, cached, 0, reasoning);
    }
}
