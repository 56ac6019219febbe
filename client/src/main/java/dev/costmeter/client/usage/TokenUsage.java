package dev.costmeter.client.usage;

/**
 * The token counts of one model call in costmeter's disjoint form, so that every token is billed
 * exactly once: {@code inputTokens} is input at the full rate only, cache reads and writes are
 * apart from it, and {@code reasoningTokens} is the part of {@code outputTokens} spent reasoning.
 *
 * @param inputTokens input billed at the full input rate, excluding cache reads and writes
 * @param outputTokens output, reasoning included
 * @param cacheReadTokens input served from the provider's prompt cache
 * @param cacheWriteTokens input written to the provider's prompt cache
 * @param reasoningTokens the reasoning part of {@code outputTokens}, informational
 * @param cacheWrite1hTokens the part of {@code cacheWriteTokens} written with a 1-hour lifetime
 *        (Anthropic's {@code cache_creation.ephemeral_1h_input_tokens}), billed at its own rate
 */
public record TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens,
                         long reasoningTokens, long cacheWrite1hTokens) {

    /** No tokens: a response-cache hit or a call that failed before the model ran. */
    public static final TokenUsage NONE = new TokenUsage(0, 0, 0, 0, 0);

    /** @throws IllegalArgumentException when a count is negative, reasoning exceeds output or 1-hour writes exceed writes */
    public TokenUsage {
        nonNegative("inputTokens", inputTokens);
        nonNegative("outputTokens", outputTokens);
        nonNegative("cacheReadTokens", cacheReadTokens);
        nonNegative("cacheWriteTokens", cacheWriteTokens);
        nonNegative("reasoningTokens", reasoningTokens);
        nonNegative("cacheWrite1hTokens", cacheWrite1hTokens);
        if (reasoningTokens > outputTokens) {
            throw new IllegalArgumentException("reasoningTokens " + reasoningTokens + " exceed outputTokens "
                    + outputTokens + "; reasoning is part of output");
        }
        if (cacheWrite1hTokens > cacheWriteTokens) {
            throw new IllegalArgumentException("cacheWrite1hTokens " + cacheWrite1hTokens + " exceed cacheWriteTokens "
                    + cacheWriteTokens + "; the 1-hour writes are part of the writes");
        }
    }

    /** Cache writes all at the default lifetime (Anthropic's 5 minutes, the only one elsewhere). */
    public TokenUsage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens, long reasoningTokens) {
        this(inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens, 0);
    }

    /** Input and output only, for providers without prompt caching or reasoning. */
    public static TokenUsage of(long inputTokens, long outputTokens) {
        return new TokenUsage(inputTokens, outputTokens, 0, 0, 0);
    }

    /** Every token of the call, each counted once. */
    public long totalTokens() {
        return inputTokens + cacheReadTokens + cacheWriteTokens + outputTokens;
    }

    private static void nonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " is negative: " + value);
        }
    }
}
