package dev.costmeter.metering.tasks;

import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Records how a task ended and moves its spend into the task_class economics: per model it used,
 * one finished task, whether it succeeded, and its spend as successful cost or as waste. Outcomes
 * are co-partitioned with usage (both keyed by task_id), so they meet the task's totals without a
 * repartition. A repeated outcome changes nothing; a changed outcome first reverses the old one.
 */
public final class ApplyOutcome implements Processor<String, TaskOutcome, String, TaskClassStats> {

    private final String taskStoreName;
    private ProcessorContext<String, TaskClassStats> context;
    private KeyValueStore<String, TaskTotals> tasks;
    private final Names names = new Names();

    public ApplyOutcome(String taskStoreName) {
        this.taskStoreName = taskStoreName;
    }

    @Override
    public void init(ProcessorContext<String, TaskClassStats> context) {
        this.context = context;
        this.tasks = context.getStateStore(taskStoreName);
    }

    @Override
    public void process(Record<String, TaskOutcome> record) {
        TaskOutcome outcome = record.value();
        long outcomeTime = outcome.getEventTime().toEpochMilli();
        TaskTotals totals = tasks.get(outcome.getTaskId());
        if (totals == null) {
            totals = TaskOutcomes.newTask(names, outcome.getTaskId(), outcome.getTenantId(), outcome.getTaskClass(),
                    outcome.getRoute(), outcomeTime);
        }
        String newOutcome = outcome.getOutcome().name();
        if (newOutcome.equals(totals.getOutcome())) {
            if (totals.getHumanCorrected() != outcome.getHumanCorrected()) {
                totals.setHumanCorrected(outcome.getHumanCorrected());
                tasks.put(outcome.getTaskId(), totals);
            }
            return;
        }
        if (totals.getOutcome() != null) {
            emit(totals, totals.getOutcome(), totals.getOutcomeTime(), -1, record.timestamp());
        }
        totals.setOutcome(newOutcome);
        totals.setOutcomeTime(outcomeTime);
        totals.setHumanCorrected(outcome.getHumanCorrected());
        totals.setLastSeen(Math.max(totals.getLastSeen(), outcomeTime));
        tasks.put(outcome.getTaskId(), totals);
        emit(totals, newOutcome, outcomeTime, +1, record.timestamp());
    }

    /** Sends the task's per-model economics as a delta with {@code sign} +1 (apply) or -1 (reverse). */
    private void emit(TaskTotals totals, String outcome, long outcomeTime, int sign, long timestamp) {
        boolean success = Objects.equals(TaskOutcomes.SUCCESS, outcome);
        for (Map.Entry<String, ModelUsage> model : totals.getModels().entrySet()) {
            long cost = model.getValue().getCostNanos();
            TaskClassStats delta = TaskOutcomes.zero(totals.getTaskClass(), model.getKey(), Days.of(outcomeTime));
            delta.setCalls(sign * model.getValue().getCalls());
            delta.setCostNanos(sign * cost);
            delta.setTasks((long) sign);
            if (success) {
                delta.setSuccessfulTasks((long) sign);
                delta.setSuccessfulCostNanos(sign * cost);
            } else {
                delta.setWasteNanos(sign * cost);
            }
            context.forward(new Record<>(totals.getTaskClass(), delta, timestamp));
        }
    }
}
