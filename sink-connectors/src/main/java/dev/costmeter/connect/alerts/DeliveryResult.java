package dev.costmeter.connect.alerts;

import java.time.Duration;
import java.util.Optional;

/** What one POST to an endpoint came to. */
sealed interface DeliveryResult {

    /** A 2xx. */
    record Delivered(int status) implements DeliveryResult {
    }

    /** A timeout, a connection failure, a 429 or a 5xx: worth sending again. */
    record Retryable(String reason, Optional<Duration> retryAfter) implements DeliveryResult {
    }

    /** Any other status: sending the same body again would get the same answer. */
    record Rejected(int status, String reason) implements DeliveryResult {
    }
}
