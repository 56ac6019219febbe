package dev.costmeter.pricing;

import dev.costmeter.contracts.UsageEvent;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything about one call that decides its price: its tokens, the part of its cache writes made
 * with a 1-hour lifetime, whether it went through a batch API, the service tier it ran in and the
 * requests billed per request.
 *
 * @param tokens disjoint token counts; {@code tokens.cacheWrite()} includes the 1-hour writes
 * @param cacheWrite1h the part of {@code tokens.cacheWrite()} written with a 1-hour lifetime
 * @param batch made through a batch API
 * @param serviceTier null for the standard tier, else a lower-case tier name ({@link #serviceTier(String)})
 * @param requestCounts requests billed per request, by kind
 */
public record Call(Pricer.Tokens tokens, long cacheWrite1h, boolean batch, String serviceTier,
        Map<String, Long> requestCounts) {

    public Call {
        if (cacheWrite1h < 0) {
            throw new IllegalArgumentException("cache_write_1h_tokens must not be negative: " + cacheWrite1h);
        }
        if (cacheWrite1h > tokens.cacheWrite()) {
            throw new IllegalArgumentException("cache_write_1h_tokens (" + cacheWrite1h
                    + ") is a part of cache_write_tokens and cannot exceed it (" + tokens.cacheWrite() + ")");
        }
        requestCounts = requestCounts == null || requestCounts.isEmpty() ? Map.of() : new TreeMap<>(requestCounts);
        for (Map.Entry<String, Long> count : requestCounts.entrySet()) {
            if (count.getValue() == null || count.getValue() < 0) {
                throw new IllegalArgumentException("request_counts[" + count.getKey() + "] must be a count of 0 or more, not "
                        + count.getValue());
            }
        }
        serviceTier = serviceTier(serviceTier);
        if (BATCH_TIER.equals(serviceTier)) {
            // Anthropic reports a batch call as service_tier "batch": it is priced as any batch call.
            batch = true;
            serviceTier = null;
        }
    }

    /** The tier name under which a provider reports a batch call (Anthropic). */
    public static final String BATCH_TIER = "batch";

    /** A standard-tier call without 1-hour writes or per-request fees. */
    public static Call of(Pricer.Tokens tokens, boolean batch) {
        return new Call(tokens, 0, batch, null, Map.of());
    }

    /** The pricing dimensions a usage event carries. */
    public static Call of(UsageEvent event) {
        return new Call(new Pricer.Tokens(event.getInputTokens(), event.getOutputTokens(), event.getCacheReadTokens(),
                event.getCacheWriteTokens()), event.getCacheWrite1hTokens(), event.getBatch(), event.getServiceTier(),
                event.getRequestCounts());
    }

    /**
     * The tier name a price is looked up by: null (the standard tier) for null, blank, {@code standard}
     * and {@code default} (OpenAI's name for its standard tier), else the name in lower case
     * ({@code batch} makes the call a batch call).
     */
    public static String serviceTier(String reported) {
        if (reported == null || reported.isBlank()) {
            return null;
        }
        String tier = reported.strip().toLowerCase(Locale.ROOT);
        return tier.equals("standard") || tier.equals("default") ? null : tier;
    }

    /** The cache writes made at the default lifetime (Anthropic's 5 minutes). */
    long cacheWriteDefault() {
        return tokens.cacheWrite() - cacheWrite1h;
    }
}
