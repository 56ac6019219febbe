package dev.costmeter.client.usage.providers;

import dev.costmeter.client.usage.TokenUsage;
import java.util.Map;

/**
 * Google Gemini {@code usageMetadata}: {@code promptTokenCount} <em>includes</em>
 * {@code cachedContentTokenCount}, and {@code candidatesTokenCount} <em>excludes</em>
 * {@code thoughtsTokenCount}, which Google bills at the output rate. So:
 * input = prompt − cached + toolUsePrompt, cache read = cached, output = candidates + thoughts,
 * reasoning = thoughts. {@code toolUsePromptTokenCount} (results of built-in tools fed back to the
 * model) is input billed at the full rate. {@code totalTokenCount} is not used: its definition has
 * changed between API versions. Context caching has a storage fee by the hour, not a per-call
 * write charge, so cache writes are 0.
 *
 * <p>Takes the usage metadata or the whole response that holds it under {@code usageMetadata}.
 */
public final class GeminiUsage {

    /** The provider name for usage events. */
    public static final String PROVIDER = "google";

    private GeminiUsage() {
    }

    /** @throws UsageShapeException when the prompt count is missing or cached exceeds it */
    public static TokenUsage generateContent(Map<String, ?> usageOrResponse) {
        UsageObject usage = UsageObject.of("gemini", usageOrResponse, "usageMetadata");
        long prompt = usage.required("promptTokenCount");
        long cached = usage.optional("cachedContentTokenCount");
        long toolUsePrompt = usage.optional("toolUsePromptTokenCount");
        long candidates = usage.optional("candidatesTokenCount");
        long thoughts = usage.optional("thoughtsTokenCount");
        if (cached > prompt) {
            throw new UsageShapeException("gemini: cachedContentTokenCount " + cached
                    + " exceeds promptTokenCount " + prompt + ", which includes it");
        }
        return new TokenUsage(prompt - cached + toolUsePrompt, candidates + thoughts, cached, 0, thoughts);
    }

    /** {@link #generateContent(Map)} from JSON text. */
    public static TokenUsage generateContent(String json) {
        return generateContent(JsonObjects.parse("gemini", json));
    }
}
