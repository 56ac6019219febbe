package dev.costmeter.metering.dedup;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringMetrics;
import java.time.Duration;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Lets each event_id through once within the horizon. Usage is keyed by task_id and a producer
 * retry re-sends the same event under the same key, so every copy of an event lands on the same
 * partition and deduplication needs no repartition.
 */
public final class DeduplicateByEventId implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    private final String storeName;
    private final long horizonMs;
    private final MeteringMetrics metrics;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private WindowStore<String, Long> seen;

    public DeduplicateByEventId(String storeName, Duration horizon, MeteringMetrics metrics) {
        this.storeName = storeName;
        this.horizonMs = horizon.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        String eventId = record.value().getEventId();
        long eventTime = record.timestamp();
        try (WindowStoreIterator<Long> earlier = seen.fetch(eventId, eventTime - horizonMs, eventTime + horizonMs)) {
            if (earlier.hasNext()) {
                metrics.deduplicated();
                return;
            }
        }
        seen.put(eventId, eventTime, eventTime);
        context.forward(record);
    }
}
