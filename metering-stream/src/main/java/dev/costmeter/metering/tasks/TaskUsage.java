package dev.costmeter.metering.tasks;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.metering.dedup.TaskEventIds;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import dev.costmeter.pricing.ModelKeys;
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
 * Adds each priced call to its task's totals (usage is keyed by task_id, so no repartition). A call
 * that arrives after its task's outcome also moves the task_class economics, so it is sent on as a
 * delta keyed by task_class. Each counted call's event_id is remembered with its task, for
 * deduplication ({@link TaskEventIds}). Tasks not seen for the retention period are forgotten.
 *
 * <p>A new task costs one state write and one changelog record, its totals, and nothing else: there
 * is no second index of tasks by day (the queries that look tasks up by day scan the task store,
 * see {@code LocalQueries}). With millions of one-call tasks such an index doubled the records
 * written per call for a query an operator runs now and then.
 */
public final class TaskUsage implements Processor<String, PricedUsage, String, TaskClassStats> {

    private final String taskStoreName;
    private final String dedupStoreName;
    private final Duration retention;
    private final Duration dedupHorizon;
    private final int idsPerTask;
    private ProcessorContext<String, TaskClassStats> context;
    private KeyValueStore<String, TaskTotals> tasks;
    private TaskEventIds eventIds;
    private final Names names = new Names();
    private final ModelKeys modelKeys = new ModelKeys();

    /**
     * @param dedupStoreName where event ids go when a task holds {@code idsPerTask} of them
     * @param retention      how long an idle task is kept; at least {@code dedupHorizon} (MeteringSettings checks it)
     */
    public TaskUsage(String taskStoreName, String dedupStoreName, Duration retention, Duration dedupHorizon, int idsPerTask) {
        this.taskStoreName = taskStoreName;
        this.dedupStoreName = dedupStoreName;
        this.retention = retention;
        this.dedupHorizon = dedupHorizon;
        this.idsPerTask = idsPerTask;
    }

    @Override
    public void init(ProcessorContext<String, TaskClassStats> context) {
        this.context = context;
        this.tasks = context.getStateStore(taskStoreName);
        this.eventIds = new TaskEventIds(context.getStateStore(dedupStoreName), dedupHorizon, idsPerTask);
        context.schedule(Duration.ofHours(1), PunctuationType.STREAM_TIME, this::forgetIdleTasks);
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage call = record.value();
        long eventTime = call.getEventTime().toEpochMilli();
        TaskTotals totals = tasks.get(call.getTaskId());
        if (totals == null) {
            totals = TaskOutcomes.newTask(names, call.getTaskId(), call.getTenantId(), call.getTaskClass(), call.getRoute(), eventTime);
        }
        String model = modelKeys.of(call.getProvider(), call.getModel());
        ModelUsage usage = totals.getModels().get(model);
        boolean firstCallOnModel = usage == null;
        if (firstCallOnModel) {
            usage = new ModelUsage(0L, 0L);
            totals.getModels().put(names.of(model), usage);
        }
        totals.setCalls(totals.getCalls() + 1);
        if (call.getAttempt() > 1) {
            totals.setRetries(totals.getRetries() + 1);
        }
        if (call.getStatus() != CallStatus.OK) {
            totals.setFailures(totals.getFailures() + 1);
        }
        if (call.getResponseCacheHit()) {
            totals.setResponseCacheHits(totals.getResponseCacheHits() + 1);
        }
        if (!call.getPriced()) {
            totals.setUnpricedCalls(totals.getUnpricedCalls() + 1);
        }
        totals.setInputTokens(totals.getInputTokens() + call.getInputTokens());
        totals.setOutputTokens(totals.getOutputTokens() + call.getOutputTokens());
        totals.setCacheReadTokens(totals.getCacheReadTokens() + call.getCacheReadTokens());
        totals.setCacheWriteTokens(totals.getCacheWriteTokens() + call.getCacheWriteTokens());
        totals.setCostNanos(Math.addExact(totals.getCostNanos(), call.getCostNanos()));
        totals.setSavingsNanos(Math.addExact(totals.getSavingsNanos(), call.getSavingsNanos()));
        if (call.getToolName() != null) {
            totals.setToolCalls(totals.getToolCalls() + 1);
        }
        usage.setCalls(usage.getCalls() + 1);
        usage.setCostNanos(Math.addExact(usage.getCostNanos(), call.getCostNanos()));
        totals.setFirstSeen(Math.min(totals.getFirstSeen(), eventTime));
        totals.setLastSeen(Math.max(totals.getLastSeen(), eventTime));
        eventIds.remember(totals, call.getEventId(), eventTime);
        tasks.put(call.getTaskId(), totals);

        if (totals.getOutcome() != null) {
            // Spend after the outcome still belongs to that outcome's economics.
            boolean success = TaskOutcomes.SUCCESS.equals(totals.getOutcome());
            TaskClassStats delta = TaskOutcomes.zero(totals.getTaskClass(), model, Days.of(totals.getOutcomeTime()));
            delta.setCalls(1L);
            delta.setCostNanos(call.getCostNanos());
            if (firstCallOnModel) {
                // The outcome was applied before this model's first call arrived (outcomes and usage
                // come from different producers): the finished task now also counts for this model.
                delta.setTasks(1L);
                delta.setSuccessfulTasks(success ? 1L : 0L);
            }
            if (success) {
                delta.setSuccessfulCostNanos(call.getCostNanos());
            } else {
                delta.setWasteNanos(call.getCostNanos());
            }
            context.forward(new Record<>(totals.getTaskClass(), delta, record.timestamp()));
        }
    }

    private void forgetIdleTasks(long streamTime) {
        long cutoff = streamTime - retention.toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, TaskTotals> all = tasks.all()) {
            while (all.hasNext()) {
                KeyValue<String, TaskTotals> next = all.next();
                if (next.value.getLastSeen() < cutoff) {
                    idle.add(next.key);
                }
            }
        }
        idle.forEach(tasks::delete);
    }
}
