package dev.costmeter.connect.alerts;

import dev.costmeter.connect.retry.ExponentialBackoff;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers one body to one endpoint: waits for the endpoint's rate limit, then posts, retrying
 * timeouts, 429s (after Retry-After when it is longer than the backoff) and 5xx with exponential
 * backoff.
 */
final class AlertDelivery {

    /** How a delivery ended after its retries. */
    enum Outcome {
        DELIVERED,
        /** The endpoint refused the alert for good (a 4xx other than 429). */
        REJECTED,
        /** Still failing after every retry; try the batch again later. */
        GAVE_UP
    }

    /** The outcome and, unless delivered, the last reason. */
    record Result(Outcome outcome, String reason) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(AlertDelivery.class);

    private final WebhookSender sender;
    private final Pause pause;
    private final int maxRetries;
    private final ExponentialBackoff backoff;
    private final Duration backoffMax;
    private final Map<String, TokenBucket> buckets = new HashMap<>();

    AlertDelivery(WebhookSender sender, Pause pause, LongSupplier nanoClock, List<Endpoint> endpoints,
            int maxRetries, Duration backoff, Duration backoffMax) {
        this.sender = sender;
        this.pause = pause;
        this.maxRetries = maxRetries;
        this.backoff = new ExponentialBackoff(backoff, backoffMax);
        this.backoffMax = backoffMax;
        endpoints.forEach(e -> buckets.put(e.name(), new TokenBucket(e.ratePerMinute(), e.burst(), nanoClock)));
    }

    Result deliver(Endpoint endpoint, byte[] body) throws InterruptedException {
        String reason = "";
        for (int attempt = 0; attempt <= maxRetries; attempt++) {
            awaitToken(endpoint);
            DeliveryResult result = sender.post(endpoint, body);
            if (result instanceof DeliveryResult.Delivered) {
                return new Result(Outcome.DELIVERED, "");
            }
            if (result instanceof DeliveryResult.Rejected rejected) {
                return new Result(Outcome.REJECTED, "Endpoint " + endpoint.name() + " refused the alert: " + rejected.reason());
            }
            DeliveryResult.Retryable retryable = (DeliveryResult.Retryable) result;
            reason = retryable.reason();
            if (attempt == maxRetries) {
                break;
            }
            Duration wait = backoffFor(attempt);
            if (retryable.retryAfter().isPresent() && retryable.retryAfter().get().compareTo(wait) > 0) {
                wait = min(retryable.retryAfter().get(), backoffMax);
            }
            LOG.warn("Delivery to {} failed ({}); retry {} of {} in {} ms", endpoint, reason, attempt + 1, maxRetries,
                    wait.toMillis());
            pause.pause(wait);
        }
        return new Result(Outcome.GAVE_UP, "Endpoint " + endpoint.name() + " still failing after " + maxRetries
                + " retries: " + reason);
    }

    /** backoff × 2^attempt, at most backoffMax. */
    Duration backoffFor(int attempt) {
        return backoff.after(attempt);
    }

    private void awaitToken(Endpoint endpoint) throws InterruptedException {
        TokenBucket bucket = buckets.get(endpoint.name());
        for (Duration wait = bucket.reserve(); !wait.isZero(); wait = bucket.reserve()) {
            pause.pause(wait);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
