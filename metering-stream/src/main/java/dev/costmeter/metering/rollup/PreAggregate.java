package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.pricing.ModelKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sums calls on the partition that priced them and sends the sums on once a second, so the one
 * repartition that brings a scope's calls together carries one delta per scope and minute instead
 * of five records per call.
 *
 * <p>The buffer is keyed by scope and UTC minute ({@code DIMENSION|scope SEP minute}): a call adds
 * to the five entries of its dimension values. There are few such keys per minute (tenants,
 * routes, models, kinds of work, prompt versions), so few state changes per commit. It is a logged
 * state store, not a plain map: under exactly-once a commit may come between two flushes, and what
 * was counted but not yet sent must survive a crash with the offsets it belongs to. The store sits
 * behind an object cache (see {@code WriteBackStore}), so updating it per call costs a map update.
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
    private final Map<ScopeMinute, Pending> pending = new HashMap<>();
    /**
     * Each dimension's scopes seen since the last flush, with their rollup key and their pending
     * minute: a call to a scope already seen in its minute costs one map lookup per dimension and
     * builds no key.
     */
    private final Map<RollupDimension, Map<String, Scope>> scopes = new EnumMap<>(RollupDimension.class);
    private final ModelKeys modelKeys = new ModelKeys();

    /** A scope's rollup key and the minute it last had a call in, with that minute's pending sums. */
    private static final class Scope {
        final String key;
        long minute;
        Pending pending;

        Scope(String key) {
            this.key = key;
        }
    }

    /** One scope's one minute. */
    private record ScopeMinute(String scopeKey, long minute) {
    }

    /** A buffered scope-minute: its key in the buffer store and its sums. */
    private record Pending(String storeKey, RollupDelta delta) {
    }

    public PreAggregate(String bufferStoreName, Duration flushInterval, int maxBufferedKeys) {
        this.bufferStoreName = bufferStoreName;
        this.flushInterval = flushInterval;
        this.maxBufferedKeys = maxBufferedKeys;
        for (RollupDimension dimension : DIMENSIONS) {
            scopes.put(dimension, new HashMap<>());
        }
    }

    @Override
    public void init(ProcessorContext<String, RollupDelta> context) {
        this.context = context;
        this.buffer = context.getStateStore(bufferStoreName);
        // Kafka Streams may close a task and initialise the same processor again (a task revived after
        // an exactly-once failure, its state restored from the changelog): the store is the truth then,
        // and deltas pending from before would count twice.
        forgetPending();
        // Restored before init: what was counted but not yet sent before a restart is sent by this owner.
        List<KeyValue<String, RollupDelta>> restored = new ArrayList<>();
        try (KeyValueIterator<String, RollupDelta> all = buffer.all()) {
            all.forEachRemaining(restored::add);
        }
        for (KeyValue<String, RollupDelta> entry : restored) {
            char first = entry.key.charAt(0);
            if (Character.isDigit(first) || first == '-') {
                restoreCombination(entry.key, entry.value);
            } else {
                pending.put(new ScopeMinute(entry.key.substring(0, entry.key.lastIndexOf(SEP)), entry.value.minuteStart()),
                        new Pending(entry.key, entry.value));
            }
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    /**
     * A buffer entry written by an earlier version, keyed by the call's whole combination of
     * dimension values ({@code minute SEP scope SEP scope ...}): re-buffered by scope.
     */
    private void restoreCombination(String combination, RollupDelta delta) {
        String[] parts = combination.split(String.valueOf(SEP), -1);
        for (int d = 0; d < DIMENSIONS.length && d + 1 < parts.length; d++) {
            if (!parts[d + 1].isEmpty()) {
                Pending entry = entry(Dimension.key(DIMENSIONS[d], parts[d + 1]), delta.minuteStart());
                entry.delta().counters().add(delta.counters());
                buffer.put(entry.storeKey(), entry.delta());
            }
        }
        buffer.delete(combination);
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage call = record.value();
        long minute = Math.floorDiv(call.getEventTime().toEpochMilli(), MINUTE_MS) * MINUTE_MS;
        for (RollupDimension dimension : DIMENSIONS) {
            String scope = Dimension.scopeOf(dimension, call, modelKeys);
            if (scope != null) {
                Scope seen = scopes.get(dimension).computeIfAbsent(scope, s -> new Scope(Dimension.key(dimension, s)));
                if (seen.pending == null || seen.minute != minute) {
                    seen.pending = entry(seen.key, minute);
                    seen.minute = minute;
                }
                Pending entry = seen.pending;
                entry.delta().counters().add(call);
                buffer.put(entry.storeKey(), entry.delta());
            }
        }
        if (pending.size() >= maxBufferedKeys) {
            flush();
        }
    }

    @Override
    public void close() {
        forgetPending();
    }

    private void forgetPending() {
        pending.clear();
        scopes.values().forEach(Map::clear);
    }

    private Pending entry(String scopeKey, long minute) {
        return pending.computeIfAbsent(new ScopeMinute(scopeKey, minute),
                k -> new Pending(k.scopeKey() + SEP + k.minute(), new RollupDelta(k.minute(), new Counters())));
    }

    private void flush() {
        for (Pending entry : pending.values()) {
            buffer.delete(entry.storeKey());
            String scopeKey = entry.storeKey().substring(0, entry.storeKey().lastIndexOf(SEP));
            // Stamped with the minute's start: downstream stream time then never runs ahead of the data.
            context.forward(new Record<>(scopeKey, entry.delta(), entry.delta().minuteStart()));
        }
        forgetPending();
    }
}
