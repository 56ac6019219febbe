package dev.costmeter.alerting.tasks;

import dev.costmeter.alerting.AlertingMetrics;
import dev.costmeter.contracts.UsageEvent;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Lets a usage event through once: a copy whose event id is among its task's latest calls (a
 * producer retry, a re-send) is dropped, so per-task counters and the spend caps' fast path count
 * each call once. The ids live in the task's own state ({@link TaskState#recentIds()}), which
 * {@link TaskGuard} reads next anyway and records the id in; the check costs no extra store. Usage is
 * keyed by task_id, so every copy of an event reaches the same task. Older copies than the last
 * {@value TaskState#RECENT_IDS} calls of a task pass; metering's ledger stays exact regardless, and
 * the caps reconcile against its rollups.
 */
public final class UsageDedup implements FixedKeyProcessor<String, UsageEvent, UsageEvent> {

    private final AlertingMetrics metrics;
    private FixedKeyProcessorContext<String, UsageEvent> context;
    private KeyValueStore<String, TaskState> tasks;

    public UsageDedup(AlertingMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, UsageEvent> context) {
        this.context = context;
        this.tasks = context.getStateStore(TaskGuard.STATE_STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        TaskState state = tasks.get(record.value().getTaskId());
        if (state != null && state.seen(record.value().getEventId())) {
            metrics.duplicate();
            return;
        }
        context.forward(record);
    }
}
