package dev.costmeter.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.schemas.validation.UsageValidator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's own decisions with Kafka's {@link MockProducer} standing in for a broker that has not
 * answered yet or refuses: GatewayIT covers the real broker; these cases (an acknowledgement still
 * pending, a refusal) cannot be timed reliably against one.
 */
class UsageSinkTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final MockProducer<String, UsageEvent> producer = new MockProducer<>(false, null, new StringSerializer(),
            (topic, event) -> event.getEventId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private final UsageSink sink = new UsageSink(producer, "llm.usage.v1",
            new UsageValidator(UsageValidator.DEFAULT_MAX_TOKENS_PER_CALL, UsageValidator.DEFAULT_MAX_FUTURE_SKEW), 2,
            Duration.ofSeconds(5), Clock.fixed(NOW, ZoneOffset.UTC));
    private final Caller acme = Caller.of(false, false, Set.of("acme"));

    @Test
    void shouldAnswerOnlyAfterKafkaAcknowledgedAndRefuseWhatDoesNotFitTheInFlightBound() throws Exception {
        CompletableFuture<List<UsageSink.Outcome>> first = CompletableFuture.supplyAsync(() -> write(List.of(item(0, "e-1", 10))));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        assertThat(first).as("not acknowledged yet").isNotDone();

        assertThatThrownBy(() -> sink.write(List.of(item(0, "e-2", 10), item(1, "e-3", 10)), acme))
                .as("two more do not fit beside the one in flight").isInstanceOf(UsageSink.Overloaded.class);

        producer.completeNext();
        assertThat(first.get(10, TimeUnit.SECONDS)).singleElement().satisfies(o -> assertThat(o.written()).isTrue());
        assertThat(sink.inFlight()).isZero();
    }

    @Test
    void shouldReportARefusalByKafkaAsNotAcknowledged() {
        CompletableFuture<Throwable> failed = CompletableFuture.supplyAsync(() -> {
            try {
                sink.write(List.of(item(0, "e-4", 10)), acme);
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        producer.errorNext(new NotEnoughReplicasException("not enough replicas"));
        assertThat(failed.join()).isInstanceOf(UsageSink.NotAcknowledged.class).hasMessageContaining("not enough replicas");
    }

    @Test
    void shouldProduceNothingWhenOneEventNamesATenantTheCallerMayNotWrite() {
        UsageSink.Item globex = UsageSink.Item.parsed(1, UsageEvent.newBuilder(event("e-6", 10)).setTenantId("globex").build());

        assertThatThrownBy(() -> sink.write(List.of(item(0, "e-5", 10), globex), acme)).isInstanceOf(AccessDeniedException.class);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldRefuseAnInvalidEventWithMeteringsReasonAndWriteTheOthers() throws Exception {
        CompletableFuture<List<UsageSink.Outcome>> result = CompletableFuture.supplyAsync(
                () -> write(List.of(item(0, "e-7", 10), item(1, "e-8", -1))));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> producer.history().size() == 1);
        producer.completeNext();

        List<UsageSink.Outcome> outcomes = result.get(10, TimeUnit.SECONDS);
        assertThat(outcomes.get(0).written()).isTrue();
        assertThat(outcomes.get(1).written()).isFalse();
        assertThat(outcomes.get(1).reason()).startsWith("negative-value").contains("input_tokens -1 is negative");
        assertThat(producer.history()).singleElement().satisfies(r -> assertThat(r.key()).isEqualTo("task-1"));
    }

    private List<UsageSink.Outcome> write(List<UsageSink.Item> items) {
        try {
            return sink.write(items, acme);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static UsageSink.Item item(int index, String id, long input) {
        return UsageSink.Item.parsed(index, event(id, input));
    }

    private static UsageEvent event(String id, long input) {
        return UsageEvent.newBuilder().setEventId(id).setEventTime(NOW.minusSeconds(1)).setTenantId("acme").setTaskId("task-1")
                .setTaskClass("support").setRoute("chat").setProvider("openai").setModel("gpt-4o").setInputTokens(input)
                .setOutputTokens(5).build();
    }
}
