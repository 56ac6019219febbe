package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sums calls on the partition that priced them and sends the sums on once a second, so the one
 * repartition that brings a scope's calls together carries a few deltas per scope and minute
 * instead of five records per call.
 *
 * <p>The buffer is keyed by the call's whole combination of dimension values and its UTC minute, so
 * a call costs one buffer update; the flush expands each combination into the per-dimension deltas.
 * It is a logged, cached state store, not a plain map: under exactly-once a commit may come between
 * two flushes, and what was counted but not yet sent must survive a crash with the offsets it
 * belongs to.
 */
public final class PreAggregate implements Processor<String, PricedUsage, String, RollupDelta> {

    private static final long MINUTE_MS = 60_000L;
    private static final char SEP = '\u001f';
    private static final RollupDimension[] DIMENSIONS = RollupDimension.values();

    private final String bufferStoreName;
    private final Duration flushInterval;
    private final int maxBufferedKeys;
    private ProcessorContext<String, RollupDelta> context;
    private KeyValueStore<String, RollupDelta> buffer;
    /** The buffer's contents as objects: the store is written for durability, never read back per call. */
    private final Map<String, Pending> pending = new HashMap<>();

    /** A buffered combination: its sums, and the rollup key of each of its dimensions (null: no scope). */
    private record Pending(RollupDelta delta, String[] scopeKeys) {

        static Pending of(String combination, RollupDelta delta) {
            String[] parts = combination.split(String.valueOf(SEP), -1);
            String[] scopeKeys = new String[DIMENSIONS.length];
            for (int d = 0; d < DIMENSIONS.length; d++) {
                scopeKeys[d] = parts[d + 1].isEmpty() ? null : Dimension.key(DIMENSIONS[d], parts[d + 1]);
            }
            return new Pending(delta, scopeKeys);
        }
    }

    /** Where a flush sums combinations: one scope's one minute. */
    private record ScopeMinute(String scopeKey, long minute) {
    }

    public PreAggregate(String bufferStoreName, Duration flushInterval, int maxBufferedKeys) {
        this.bufferStoreName = bufferStoreName;
        this.flushInterval = flushInterval;
        this.maxBufferedKeys = maxBufferedKeys;
    }

    @Override
    public void init(ProcessorContext<String, RollupDelta> context) {
        this.context = context;
        this.buffer = context.getStateStore(bufferStoreName);
        // Restored before init: what was counted but not yet sent before a restart is sent by this owner.
        try (KeyValueIterator<String, RollupDelta> restored = buffer.all()) {
            restored.forEachRemaining(entry -> pending.put(entry.key, Pending.of(entry.key, entry.value)));
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage call = record.value();
        long minute = Math.floorDiv(call.getEventTime().toEpochMilli(), MINUTE_MS) * MINUTE_MS;
        String key = combination(call, minute);
        Pending combination = pending.computeIfAbsent(key, k -> Pending.of(k, new RollupDelta(minute, new Counters())));
        combination.delta().counters().add(call);
        buffer.put(key, combination.delta());
        if (pending.size() >= maxBufferedKeys) {
            flush();
        }
    }

    /** {@code minute SEP scope-of-each-dimension}; validation keeps SEP (a control character) out of values. */
    private static String combination(PricedUsage call, long minute) {
        StringBuilder key = new StringBuilder(96).append(minute);
        for (RollupDimension dimension : DIMENSIONS) {
            String scope = Dimension.scopeOf(dimension, call);
            key.append(SEP).append(scope == null ? "" : scope);
        }
        return key.toString();
    }

    private void flush() {
        // Several combinations share a scope (one tenant, many routes): sum them before sending.
        Map<ScopeMinute, RollupDelta> byScope = new HashMap<>();
        for (Map.Entry<String, Pending> entry : pending.entrySet()) {
            RollupDelta delta = entry.getValue().delta();
            for (String scopeKey : entry.getValue().scopeKeys()) {
                if (scopeKey != null) {
                    byScope.computeIfAbsent(new ScopeMinute(scopeKey, delta.minuteStart()),
                            k -> new RollupDelta(k.minute(), new Counters())).counters().add(delta.counters());
                }
            }
            buffer.delete(entry.getKey());
        }
        pending.clear();
        // Stamped with the minute's start: downstream stream time then never runs ahead of the data.
        byScope.forEach((key, delta) -> context.forward(new Record<>(key.scopeKey(), delta, delta.minuteStart())));
    }
}
