package dev.costmeter.connect.alerts;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Supplier;

/** POSTs JSON bodies and classifies the answer. */
final class WebhookSender {

    private static final int MAX_REASON_CHARS = 300;

    private final HttpClient client;
    private final Duration timeout;
    private final Supplier<ZonedDateTime> now;

    WebhookSender(Duration timeout, Supplier<ZonedDateTime> now) {
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.now = now;
    }

    DeliveryResult post(Endpoint endpoint, byte[] body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", "costmeter-alert-sink")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            return new DeliveryResult.Retryable("timed out after " + timeout.toMillis() + " ms", Optional.empty());
        } catch (IOException e) {
            // The exception text can hold the URL; keep only its type.
            return new DeliveryResult.Retryable("I/O failure " + e.getClass().getSimpleName(), Optional.empty());
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return new DeliveryResult.Delivered(status);
        }
        String reason = "HTTP " + status + ": " + snippet(response.body());
        if (status == 429) {
            return new DeliveryResult.Retryable(reason, retryAfter(response.headers().firstValue("Retry-After")));
        }
        if (status >= 500) {
            return new DeliveryResult.Retryable(reason, Optional.empty());
        }
        return new DeliveryResult.Rejected(status, reason);
    }

    /** Retry-After as seconds or as an HTTP date (RFC 9110); absent or unreadable means none. */
    Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(now.get(), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static String snippet(String body) {
        String flat = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return flat.length() <= MAX_REASON_CHARS ? flat : flat.substring(0, MAX_REASON_CHARS) + "…";
    }
}
