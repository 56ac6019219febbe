package dev.costmeter.connect.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.connect.fixtures.WebhookServer;
import dev.costmeter.connect.fixtures.WebhookServer.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deliveries against a real local HTTP server; waits are recorded, not spent. */
class AlertDeliveryTest {

    private static final byte[] BODY = "{\"x\":1}".getBytes(StandardCharsets.UTF_8);
    private static final ZonedDateTime NOW = ZonedDateTime.of(2026, 11, 27, 10, 0, 0, 0, ZoneOffset.UTC);

    private final WebhookServer server;
    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();

    AlertDeliveryTest() throws Exception {
        server = new WebhookServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Endpoint endpoint(String path, int ratePerMinute, int burst) {
        return new Endpoint("hook", new Password(server.url(path).toString()), AlertFormat.JSON, Optional.empty(),
                ratePerMinute, burst);
    }

    private AlertDelivery delivery(Endpoint endpoint, Duration httpTimeout) {
        Pause recording = duration -> {
            pauses.add(duration);
            clock.addAndGet(duration.toNanos());
        };
        return new AlertDelivery(new WebhookSender(httpTimeout, () -> NOW), recording, clock::get, List.of(endpoint),
                3, Duration.ofMillis(100), Duration.ofSeconds(10));
    }

    @Test
    void shouldRetryA500WithBackoffUntilDelivered() throws Exception {
        server.script("/hook", Answer.of(500), Answer.of(503), Answer.of(202));
        Endpoint endpoint = endpoint("/hook", 600, 10);
        AlertDelivery.Result result = delivery(endpoint, Duration.ofSeconds(5)).deliver(endpoint, BODY);
        assertThat(result.outcome()).isEqualTo(AlertDelivery.Outcome.DELIVERED);
        assertThat(server.received("/hook")).hasSize(3);
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void shouldHonourRetryAfterOnA429() throws Exception {
        server.script("/hook", new Answer(429, Map.of("Retry-After", "7"), "{\"status\":\"throttle\"}"), Answer.of(202));
        Endpoint endpoint = endpoint("/hook", 600, 10);
        AlertDelivery.Result result = delivery(endpoint, Duration.ofSeconds(5)).deliver(endpoint, BODY);
        assertThat(result.outcome()).isEqualTo(AlertDelivery.Outcome.DELIVERED);
        assertThat(pauses).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void shouldNotRetryA400AndSayWhy() throws Exception {
        server.script("/hook", new Answer(400, Map.of(), "{\"message\":\"Event object is invalid\"}"));
        Endpoint endpoint = endpoint("/hook", 600, 10);
        AlertDelivery.Result result = delivery(endpoint, Duration.ofSeconds(5)).deliver(endpoint, BODY);
        assertThat(result.outcome()).isEqualTo(AlertDelivery.Outcome.REJECTED);
        assertThat(result.reason()).isEqualTo("Endpoint hook refused the alert: HTTP 400: {\"message\":\"Event object is invalid\"}");
        assertThat(server.received("/hook")).hasSize(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void shouldRetryATimeoutAndGiveUpAfterTheLastRetry() throws Exception {
        server.script("/hook", Answer.of(0));
        Endpoint endpoint = endpoint("/hook", 600, 10);
        AlertDelivery.Result result = delivery(endpoint, Duration.ofMillis(300)).deliver(endpoint, BODY);
        assertThat(result.outcome()).isEqualTo(AlertDelivery.Outcome.GAVE_UP);
        assertThat(result.reason()).isEqualTo("Endpoint hook still failing after 3 retries: timed out after 300 ms");
        assertThat(pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400));
    }

    @Test
    void shouldWaitForTheRateLimitBetweenDeliveries() throws Exception {
        Endpoint endpoint = endpoint("/hook", 30, 1);
        AlertDelivery delivery = delivery(endpoint, Duration.ofSeconds(5));
        delivery.deliver(endpoint, BODY);
        delivery.deliver(endpoint, BODY);
        assertThat(pauses).containsExactly(Duration.ofSeconds(2));
        assertThat(server.received("/hook")).hasSize(2);
    }

    @Test
    void shouldReadRetryAfterAsAnHttpDate() {
        WebhookSender sender = new WebhookSender(Duration.ofSeconds(1), () -> NOW);
        assertThat(sender.retryAfter(Optional.of("Fri, 27 Nov 2026 10:00:30 GMT"))).contains(Duration.ofSeconds(30));
        assertThat(sender.retryAfter(Optional.of("soon"))).isEmpty();
    }
}
