package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sums calls per (dimension, scope, UTC minute) on the partition that priced them and sends the sums
 * on once a second, so the one repartition that brings a scope's calls together carries a few
 * deltas per scope and minute instead of five records per call.
 *
 * <p>The buffer is a logged, cached state store, not a plain map: under exactly-once a commit may
 * come between two flushes, and what was counted but not yet sent must survive a crash with the
 * offsets it belongs to.
 */
public final class PreAggregate implements Processor<String, PricedUsage, String, RollupDelta> {

    private static final long MINUTE_MS = 60_000L;
    private static final char SEP = '|';

    private final String bufferStoreName;
    private final Duration flushInterval;
    private final int maxBufferedKeys;
    private ProcessorContext<String, RollupDelta> context;
    private KeyValueStore<String, RollupDelta> buffer;
    private int touchedSinceFlush;

    public PreAggregate(String bufferStoreName, Duration flushInterval, int maxBufferedKeys) {
        this.bufferStoreName = bufferStoreName;
        this.flushInterval = flushInterval;
        this.maxBufferedKeys = maxBufferedKeys;
    }

    @Override
    public void init(ProcessorContext<String, RollupDelta> context) {
        this.context = context;
        this.buffer = context.getStateStore(bufferStoreName);
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage call = record.value();
        long minute = Math.floorDiv(call.getEventTime().toEpochMilli(), MINUTE_MS) * MINUTE_MS;
        for (RollupDimension dimension : RollupDimension.values()) {
            String scope = Dimension.scopeOf(dimension, call);
            if (scope == null) {
                continue;
            }
            String key = Dimension.key(dimension, scope) + SEP + minute;
            RollupDelta delta = buffer.get(key);
            if (delta == null) {
                delta = new RollupDelta(minute, new Counters());
                touchedSinceFlush++;
            }
            delta.counters().add(call);
            buffer.put(key, delta);
        }
        if (touchedSinceFlush >= maxBufferedKeys) {
            flush();
        }
    }

    private void flush() {
        List<KeyValue<String, RollupDelta>> pending = new ArrayList<>();
        try (KeyValueIterator<String, RollupDelta> all = buffer.all()) {
            all.forEachRemaining(pending::add);
        }
        for (KeyValue<String, RollupDelta> entry : pending) {
            String scopeKey = entry.key.substring(0, entry.key.lastIndexOf(SEP));
            // Stamped with the minute's start: downstream stream time then never runs ahead of the data.
            context.forward(new Record<>(scopeKey, entry.value, entry.value.minuteStart()));
            buffer.delete(entry.key);
        }
        touchedSinceFlush = 0;
    }

    @Override
    public void close() {
        // Nothing to do: unflushed deltas stay in the logged buffer and are sent by the next owner.
    }
}
