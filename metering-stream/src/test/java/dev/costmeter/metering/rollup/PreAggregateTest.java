package dev.costmeter.metering.rollup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PreAggregateTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final long MINUTE = T0.toEpochMilli();
    private static final char SEP = '\u001f';

    private MockProcessorContext<String, RollupDelta> context;
    private KeyValueStore<String, RollupDelta> buffer;

    @BeforeEach
    void setUp() {
        context = new MockProcessorContext<>();
        buffer = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("buffer"), Serdes.String(), RollupSerdes.deltas())
                .withLoggingDisabled().build();
        buffer.init(context.getStateStoreContext(), buffer);
        context.addStateStore(buffer);
    }

    private PreAggregate started() {
        PreAggregate processor = new PreAggregate("buffer", Duration.ofSeconds(1), 10_000);
        processor.init(context);
        return processor;
    }

    private void flush() {
        context.scheduledPunctuators().get(0).getPunctuator().punctuate(0L);
    }

    /** Calls per forwarded scope key. */
    private Map<String, Long> forwardedCalls() {
        Map<String, Long> calls = new TreeMap<>();
        context.forwarded().forEach(f -> calls.merge(f.record().key(), f.record().value().counters().calls, Long::sum));
        return calls;
    }

    private static PricedUsage call(String tenant, String route) {
        return PricedUsage.newBuilder().setEventId("e").setEventTime(T0.plusSeconds(5)).setTenantId(tenant).setTaskId("t")
                .setTaskClass("support-answer").setRoute(route).setPromptVersion(route + "@v1").setProvider("openai")
                .setModel("gpt-4o").setInputTokens(10).setOutputTokens(5).setCacheReadTokens(0).setCacheWriteTokens(0)
                .setReasoningTokens(0).setBatch(false).setAttempt(1).setStatus(CallStatus.OK).setResponseCacheHit(false)
                .setCostNanos(7L).setInputCostNanos(5L).setOutputCostNanos(2L).setCacheReadCostNanos(0L)
                .setCacheWriteCostNanos(0L).setSavingsNanos(0L).setPriced(true).setPriceVersion("v").setLongContext(false)
                .setPricedAt(T0).build();
    }

    @Test
    void shouldSendOneDeltaPerScopeAndMinuteAndEmptyTheBuffer() {
        PreAggregate processor = started();
        processor.process(new Record<>("t", call("acme", "chat"), 0L));
        processor.process(new Record<>("t", call("acme", "search"), 0L));
        processor.process(new Record<>("t", call("globex", "chat"), 0L));

        flush();

        assertThat(forwardedCalls()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TENANT|acme", 2L, "TENANT|globex", 1L, "ROUTE|chat", 2L, "ROUTE|search", 1L, "MODEL|openai/gpt-4o", 3L,
                "TASK_CLASS|support-answer", 3L, "PROMPT_VERSION|chat@v1", 2L, "PROMPT_VERSION|search@v1", 1L));
        assertThat(context.forwarded()).allSatisfy(f -> assertThat(f.record().timestamp()).isEqualTo(MINUTE));
        assertThat(buffer.approximateNumEntries()).isZero();
    }

    @Test
    void shouldSendWhatARestartFoundInTheBufferInEitherKeyFormat() {
        Counters three = new Counters();
        three.calls = 3;
        Counters two = new Counters();
        two.calls = 2;
        // Written by this version: one scope and minute.
        buffer.put("TENANT|globex" + SEP + MINUTE, new RollupDelta(MINUTE, two));
        // Written by the previous version: a whole combination of dimension values.
        buffer.put(MINUTE + "" + SEP + "acme" + SEP + "chat" + SEP + "openai/gpt-4o" + SEP + "support-answer" + SEP + "chat@v1",
                new RollupDelta(MINUTE, three));

        started();
        flush();

        assertThat(forwardedCalls()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "TENANT|globex", 2L, "TENANT|acme", 3L, "ROUTE|chat", 3L, "MODEL|openai/gpt-4o", 3L,
                "TASK_CLASS|support-answer", 3L, "PROMPT_VERSION|chat@v1", 3L));
        assertThat(buffer.approximateNumEntries()).isZero();
    }

    @Test
    void shouldForgetDeltasPendingFromBeforeWhenTheSameProcessorIsInitialisedAgain() {
        // A task revived after an exactly-once failure: its store is restored to the last commit (here:
        // empty, as nothing was committed) and Kafka Streams initialises the same processor again.
        PreAggregate processor = started();
        processor.process(new Record<>("t", call("acme", "chat"), 0L));
        buffer.delete("TENANT|acme" + SEP + MINUTE);
        buffer.delete("ROUTE|chat" + SEP + MINUTE);
        buffer.delete("MODEL|openai/gpt-4o" + SEP + MINUTE);
        buffer.delete("TASK_CLASS|support-answer" + SEP + MINUTE);
        buffer.delete("PROMPT_VERSION|chat@v1" + SEP + MINUTE);
        processor.close();
        context.resetForwards();
        processor.init(context);

        // The record is met again after the revival and counted once.
        processor.process(new Record<>("t", call("acme", "chat"), 0L));
        context.scheduledPunctuators().get(context.scheduledPunctuators().size() - 1).getPunctuator().punctuate(0L);

        assertThat(forwardedCalls()).containsEntry("TENANT|acme", 1L).containsEntry("ROUTE|chat", 1L);
    }
}
