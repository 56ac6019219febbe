package dev.costmeter.metering.dedup;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Lets each event_id through once within the horizon. Usage is keyed by task_id and a producer
 * retry re-sends the same event under the same key, so every copy of an event lands on the same
 * partition and deduplication needs no repartition.
 *
 * <p>The store maps event_id to event time: one point lookup per event (a window store would
 * seek every segment of the horizon). Ids older than the horizon, in stream time, are purged
 * every {@link #PURGE_EVERY}.
 */
public final class DeduplicateByEventId implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final String storeName;
    private final long horizonMs;
    private final MeteringMetrics metrics;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private KeyValueStore<String, Long> seen;

    public DeduplicateByEventId(String storeName, Duration horizon, MeteringMetrics metrics) {
        this.storeName = storeName;
        this.horizonMs = horizon.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        String eventId = record.value().getEventId();
        Long earlier = seen.get(eventId);
        if (earlier != null && Math.abs(earlier - record.timestamp()) <= horizonMs) {
            metrics.deduplicated();
            return;
        }
        seen.put(eventId, record.timestamp());
        context.forward(record);
    }

    private void purge(long streamTime) {
        long cutoff = streamTime - horizonMs;
        List<String> expired = new ArrayList<>();
        try (KeyValueIterator<String, Long> all = seen.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> next = all.next();
                if (next.value < cutoff) {
                    expired.add(next.key);
                }
            }
        }
        expired.forEach(seen::delete);
    }
}
