package dev.costmeter.metering.dedup;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringMetrics;
import dev.costmeter.metering.state.TaskTotals;
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
 * Lets each event_id through once within the horizon. Usage is keyed by task_id and a producer
 * retry re-sends the same event under the same key, so every copy of an event lands on the same
 * partition and deduplication needs no repartition.
 *
 * <p>Ids are remembered with their task (see {@link TaskEventIds}; the task totals processor
 * records each call it counts), so the check is a read of the task's totals, which that processor
 * reads next anyway and finds cached as an object (WriteBackStore). Only tasks with more calls in the horizon than
 * fit there use the dedup store (event_id to event time, one point lookup). Ids in that store older
 * than the horizon, in stream time, are purged every {@link #PURGE_EVERY}.
 *
 * <p>It keeps the key, but is a plain {@link Processor} rather than a {@code FixedKeyProcessor}: it
 * forwards the record it was given, which Kafka Streams passes on as is, while a fixed-key node
 * copies each record twice (into a fixed-key record and back, headers included). Every call passes
 * here (issue #19's profile of metering).
 */
public final class DeduplicateByEventId implements Processor<String, UsageEvent, String, UsageEvent> {

    static final Duration PURGE_EVERY = Duration.ofMinutes(10);

    private final String storeName;
    private final String taskStoreName;
    private final Duration horizon;
    private final int idsPerTask;
    private final MeteringMetrics metrics;
    private ProcessorContext<String, UsageEvent> context;
    private KeyValueStore<String, Long> seen;
    private KeyValueStore<String, TaskTotals> tasks;
    private TaskEventIds eventIds;

    public DeduplicateByEventId(String storeName, String taskStoreName, Duration horizon, int idsPerTask,
            MeteringMetrics metrics) {
        this.storeName = storeName;
        this.taskStoreName = taskStoreName;
        this.horizon = horizon;
        this.idsPerTask = idsPerTask;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.seen = context.getStateStore(storeName);
        this.tasks = context.getStateStore(taskStoreName);
        this.eventIds = new TaskEventIds(seen, horizon, idsPerTask);
        context.schedule(PURGE_EVERY, PunctuationType.STREAM_TIME, this::purge);
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        UsageEvent call = record.value();
        if (eventIds.seen(tasks.get(call.getTaskId()), call.getEventId(), record.timestamp())) {
            metrics.deduplicated();
            return;
        }
        context.forward(record);
    }

    private void purge(long streamTime) {
        long cutoff = streamTime - horizon.toMillis();
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
