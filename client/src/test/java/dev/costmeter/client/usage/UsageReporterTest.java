package dev.costmeter.client.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The reporter against a Kafka that is not there: a real producer pointed at a port nobody listens
 * on, which is exactly what a service sees during a broker outage.
 */
class UsageReporterTest {

    private static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    private static UsageReporter.Builder unreachable() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return UsageReporter.builder()
                .bootstrapServers("127.0.0.1:" + port)
                .registryUrl("http://127.0.0.1:" + port)
                .property("max.block.ms", 100)
                .property("reconnect.backoff.max.ms", 100)
                .clock(Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static UsageCall call(UsageReporter reporter, int i) {
        return reporter.call().tenant("acme").task("task-" + i, "support-answer").route("chat")
                .model("openai", "gpt-4o").usage(TokenUsage.of(100, 20));
    }

    @Test
    void shouldDropNewestEventsAndCountThemWhenKafkaIsUnreachable() throws IOException {
        try (UsageReporter reporter = unreachable().bufferCapacity(4).build()) {
            int accepted = 0;
            for (int i = 0; i < 200; i++) {
                if (call(reporter, i).report()) {
                    accepted++;
                }
            }

            ReporterMetrics metrics = reporter.metrics();
            assertThat(metrics.dropped()).isEqualTo(200 - accepted).isGreaterThan(0);
            assertThat(metrics.queued()).isEqualTo(accepted);
            assertThat(metrics.sent()).isZero();
            assertThat(metrics.buffered()).isLessThanOrEqualTo(4);
        }
    }

    @Test
    void shouldAccountForEveryEventAfterCloseTimesOut() throws IOException {
        UsageReporter reporter = unreachable().bufferCapacity(8).build();
        for (int i = 0; i < 50; i++) {
            call(reporter, i).report();
        }

        reporter.close(Duration.ofMillis(300));

        ReporterMetrics metrics = reporter.metrics();
        assertThat(metrics.sent() + metrics.sendErrors() + metrics.dropped()).isEqualTo(50);
        assertThat(metrics.buffered()).isZero();
        assertThat(call(reporter, 51).report()).as("closed reporters refuse events").isFalse();
    }

    @Test
    void shouldWaitForRoomThenDropUnderTheBlockingPolicy() throws IOException {
        try (UsageReporter reporter = unreachable().bufferCapacity(1).overflowPolicy(OverflowPolicy.BLOCK_WITH_TIMEOUT)
                .blockTimeout(Duration.ofMillis(20)).build()) {
            for (int i = 0; i < 10; i++) {
                call(reporter, i).report();
            }

            assertThat(reporter.metrics().dropped()).isPositive();
            assertThat(reporter.metrics().queued() + reporter.metrics().dropped()).isEqualTo(10);
        }
    }

    @Test
    void shouldFillInDefaultsForACall() throws IOException {
        try (UsageReporter reporter = unreachable().build()) {
            UsageCall call = call(reporter, 1);
            call.report();

            UsageEvent event = call.event();
            assertThat(event.getEventTime()).isEqualTo(NOW);
            assertThat(event.getAttempt()).isEqualTo(1);
            assertThat(event.getStatus()).isEqualTo(CallStatus.OK);
            assertThat(event.getLabels()).isEmpty();
            assertThat(event.getInputTokens()).isEqualTo(100);
        }
    }

    @Test
    void shouldQueueOnlyEventsAvroCanEncodeWhateverFieldsTheCallLeftUnset() throws IOException {
        try (UsageReporter reporter = unreachable().build()) {
            // event id and status set here: the sender thread fills them otherwise, concurrently with this test
            UsageCall call = call(reporter, 1).eventId("e-1").status(CallStatus.OK);
            call.report();
            UsageEvent bare = new UsageEvent();
            bare.setEventId("e-2");
            bare.setTaskId("t-2");
            bare.setTenantId("acme");
            bare.setTaskClass("chat");
            bare.setRoute("chat");
            bare.setProvider("openai");
            bare.setModel("gpt-4o");
            bare.setStatus(CallStatus.OK);
            reporter.report(bare);

            for (UsageEvent event : java.util.List.of(call.event(), bare)) {
                java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
                org.apache.avro.io.BinaryEncoder encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(out, null);
                new org.apache.avro.specific.SpecificDatumWriter<>(UsageEvent.class).write(event, encoder);
                encoder.flush();
                assertThat(out.size()).as(event.getEventId()).isPositive();
            }
        }
    }

    @Test
    void shouldRefuseACallWithoutItsRequiredFields() throws IOException {
        try (UsageReporter reporter = unreachable().build()) {
            assertThatThrownBy(() -> reporter.call().tenant("acme").route("chat").model("openai", "gpt-4o").report())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("task id");
            assertThatThrownBy(() -> reporter.report(new UsageEvent()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task_id");
        }
    }

    @Test
    void shouldRequireBootstrapServersAndRegistry() {
        assertThatThrownBy(() -> UsageReporter.builder().registryUrl("http://x").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("bootstrapServers");
        assertThatThrownBy(() -> UsageReporter.builder().bootstrapServers("x:9092").build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("registryUrl");
    }
}
