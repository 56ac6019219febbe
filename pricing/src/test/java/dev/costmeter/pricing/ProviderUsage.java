package dev.costmeter.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads the usage objects providers return, as they return them, into the call a usage event
 * describes; only what the tests need (the client module's mappers are the production path).
 */
final class ProviderUsage {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProviderUsage() {
    }

    /**
     * An Anthropic Messages response: {@code input_tokens} excludes cache reads and writes;
     * {@code cache_creation_input_tokens} counts every write and {@code cache_creation} splits it
     * by lifetime; {@code server_tool_use.web_search_requests} counts searches billed per search.
     */
    static Call anthropic(String message) {
        JsonNode usage = read(message).path("usage");
        Map<String, Long> requests = new HashMap<>();
        long searches = usage.path("server_tool_use").path("web_search_requests").asLong(0);
        if (searches > 0) {
            requests.put("web_search", searches);
        }
        return new Call(new Pricer.Tokens(usage.path("input_tokens").asLong(), usage.path("output_tokens").asLong(),
                usage.path("cache_read_input_tokens").asLong(0), usage.path("cache_creation_input_tokens").asLong(0)),
                usage.path("cache_creation").path("ephemeral_1h_input_tokens").asLong(0), false,
                text(usage.path("service_tier")), requests);
    }

    /**
     * An OpenAI Chat Completions response: {@code prompt_tokens} includes the cached tokens, so the
     * full-rate input is the difference; the tier the call ran in is the top-level {@code service_tier}.
     */
    static Call openAi(String response) {
        JsonNode root = read(response);
        JsonNode usage = root.path("usage");
        long cached = usage.path("prompt_tokens_details").path("cached_tokens").asLong(0);
        return new Call(new Pricer.Tokens(usage.path("prompt_tokens").asLong() - cached,
                usage.path("completion_tokens").asLong(), cached, 0), 0, false, text(root.path("service_tier")), Map.of());
    }

    /**
     * A Gemini generateContent response: {@code promptTokenCount} includes the cached tokens, and
     * thinking tokens ({@code thoughtsTokenCount}) are billed as output beside {@code candidatesTokenCount}.
     */
    static Call gemini(String response, boolean batch) {
        JsonNode usage = read(response).path("usageMetadata");
        long cached = usage.path("cachedContentTokenCount").asLong(0);
        return new Call(new Pricer.Tokens(usage.path("promptTokenCount").asLong() - cached,
                usage.path("candidatesTokenCount").asLong() + usage.path("thoughtsTokenCount").asLong(0), cached, 0),
                0, batch, null, Map.of());
    }

    private static String text(JsonNode node) {
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
