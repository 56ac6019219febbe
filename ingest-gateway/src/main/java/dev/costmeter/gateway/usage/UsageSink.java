package dev.costmeter.gateway.usage;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.schemas.validation.Rejection;
import dev.costmeter.schemas.validation.UsageValidator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Where every usage event the gateway takes goes: checked with metering's own rule set
 * ({@link UsageValidator}, the contract's one), checked against the caller's tenants, produced to
 * {@code llm.usage.v1} keyed by task id with an idempotent producer, and reported as written only
 * once Kafka acknowledged it (acks=all).
 *
 * <p>Back-pressure: at most {@code maxInFlight} events are between the gateway and Kafka at any
 * time; a request whose events do not fit is refused whole with {@link Overloaded} (the HTTP layer
 * answers 429 with Retry-After) instead of being buffered. Nothing is produced for a request the
 * caller may not write (all its tenants are checked first).
 */
public final class UsageSink {

    private final Producer<String, UsageEvent> producer;
    private final String topic;
    private final UsageValidator validator;
    private final Semaphore inFlight;
    private final int maxInFlight;
    private final Duration ackTimeout;
    private final Clock clock;

    public UsageSink(Producer<String, UsageEvent> producer, String topic, UsageValidator validator, int maxInFlight,
            Duration ackTimeout, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.validator = validator;
        this.maxInFlight = maxInFlight;
        this.inFlight = new Semaphore(maxInFlight);
        this.ackTimeout = ackTimeout;
        this.clock = clock;
    }

    /** One event of a request: parsed, or the reason it could not be. */
    public record Item(int index, UsageEvent event, String parseError) {
        public static Item parsed(int index, UsageEvent event) {
            return new Item(index, event, null);
        }

        public static Item unparsable(int index, String reason) {
            return new Item(index, null, reason);
        }
    }

    /** What became of one event: written (acknowledged by Kafka) or refused with its reason. */
    public record Outcome(int index, String eventId, boolean written, String reason) {
    }

    /** The events did not fit into the in-flight bound: retry later. */
    public static final class Overloaded extends Exception {
        public Overloaded(String message) {
            super(message);
        }
    }

    /** Kafka did not acknowledge in time or refused: the request may be retried whole (ids dedup it). */
    public static final class NotAcknowledged extends Exception {
        public NotAcknowledged(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Writes the valid events of {@code items} and returns an outcome for each, in order.
     *
     * @throws dev.costmeter.runtime.auth.AccessDeniedException when an event names a tenant the
     *         caller may not write; nothing is produced then
     * @throws Overloaded when too many events are in flight already; nothing is produced
     * @throws NotAcknowledged when Kafka did not acknowledge every valid event in time
     */
    public List<Outcome> write(List<Item> items, Caller caller) throws Overloaded, NotAcknowledged, InterruptedException {
        for (Item item : items) {
            if (item.event() != null) {
                caller.requireTenant(item.event().getTenantId(), "usage of tenant '" + item.event().getTenantId() + "'");
            }
        }
        long now = clock.millis();
        List<Outcome> outcomes = new ArrayList<>(items.size());
        List<UsageEvent> valid = new ArrayList<>();
        List<Integer> validAt = new ArrayList<>();
        for (Item item : items) {
            if (item.event() == null) {
                outcomes.add(new Outcome(item.index(), null, false, item.parseError()));
                continue;
            }
            Optional<Rejection> rejection = validator.check(item.event().getTaskId(), item.event(), now);
            if (rejection.isPresent()) {
                outcomes.add(new Outcome(item.index(), item.event().getEventId(), false,
                        rejection.get().reason().tag() + ": " + rejection.get().detail()));
            } else {
                validAt.add(outcomes.size());
                outcomes.add(null);
                valid.add(item.event());
            }
        }
        produce(valid);
        for (int i = 0; i < valid.size(); i++) {
            outcomes.set(validAt.get(i), new Outcome(items.get(validAt.get(i)).index(), valid.get(i).getEventId(), true, null));
        }
        return outcomes;
    }

    /** Produces {@code events} and waits until Kafka acknowledged every one. */
    public void produce(List<UsageEvent> events) throws Overloaded, NotAcknowledged, InterruptedException {
        if (events.isEmpty()) {
            return;
        }
        if (events.size() > maxInFlight) {
            throw new Overloaded(events.size() + " events in one request, above the in-flight bound " + maxInFlight);
        }
        if (!inFlight.tryAcquire(events.size())) {
            throw new Overloaded("more than " + maxInFlight + " events waiting for Kafka");
        }
        try {
            List<CompletableFuture<Void>> acks = new ArrayList<>(events.size());
            for (UsageEvent event : events) {
                CompletableFuture<Void> ack = new CompletableFuture<>();
                try {
                    producer.send(new ProducerRecord<>(topic, event.getTaskId(), event), (metadata, error) -> {
                        if (error == null) {
                            ack.complete(null);
                        } else {
                            ack.completeExceptionally(error);
                        }
                    });
                } catch (RuntimeException e) {
                    // send() throws at once for serialization, registry or metadata (max.block.ms) failures.
                    ack.completeExceptionally(e);
                }
                acks.add(ack);
            }
            CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).get(ackTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new NotAcknowledged("Kafka refused an event: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new NotAcknowledged("Kafka did not acknowledge within " + ackTimeout, e);
        } finally {
            inFlight.release(events.size());
        }
    }

    /** Events between the gateway and Kafka now. */
    public int inFlight() {
        return maxInFlight - inFlight.availablePermits();
    }
}
