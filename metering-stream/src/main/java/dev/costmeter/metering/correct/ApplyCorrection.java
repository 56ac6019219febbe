package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.metering.state.ModelUsage;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import dev.costmeter.metering.tasks.Days;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies each correction once: a correction id already in {@code correction-ids-store} is
 * dropped; a new one moves its task's cost (and the model's within the task), takes the call out of
 * the task's unpriced calls when a price arrived for it, and is forwarded with the task-class delta
 * its task's outcome calls for. Corrections are keyed by task_id and co-partitioned with usage, so
 * the task's totals are on this partition.
 *
 * <p>A task forgotten after {@code task.retention} keeps no totals to correct; its correction still
 * reaches the ledger and the rollups.
 */
public final class ApplyCorrection implements Processor<String, LedgerCorrection, String, AppliedCorrection> {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyCorrection.class);

    private final String correctionIdsStoreName;
    private final String taskStoreName;
    private ProcessorContext<String, AppliedCorrection> context;
    private KeyValueStore<String, Long> correctionIds;
    private KeyValueStore<String, TaskTotals> tasks;

    public ApplyCorrection(String correctionIdsStoreName, String taskStoreName) {
        this.correctionIdsStoreName = correctionIdsStoreName;
        this.taskStoreName = taskStoreName;
    }

    @Override
    public void init(ProcessorContext<String, AppliedCorrection> context) {
        this.context = context;
        this.correctionIds = context.getStateStore(correctionIdsStoreName);
        this.tasks = context.getStateStore(taskStoreName);
    }

    @Override
    public void process(Record<String, LedgerCorrection> record) {
        LedgerCorrection correction = record.value();
        if (correctionIds.get(correction.getCorrectionId()) != null) {
            LOG.debug("Correction {} already applied; dropped", correction.getCorrectionId());
            return;
        }
        correctionIds.put(correction.getCorrectionId(), correction.getIssuedAt().toEpochMilli());
        TaskClassStats taskClassDelta = null;
        TaskTotals totals = tasks.get(correction.getTaskId());
        if (totals != null) {
            String model = correction.getProvider() + "/" + correction.getModel();
            totals.setCostNanos(Math.addExact(totals.getCostNanos(), correction.getCostDeltaNanos()));
            totals.setSavingsNanos(Math.addExact(totals.getSavingsNanos(), correction.getSavingsDeltaNanos()));
            totals.setUnpricedCalls(totals.getUnpricedCalls() + CorrectionDeltas.unpricedChange(correction));
            ModelUsage usage = totals.getModels().get(model);
            if (usage != null) {
                usage.setCostNanos(Math.addExact(usage.getCostNanos(), correction.getCostDeltaNanos()));
            }
            tasks.put(correction.getTaskId(), totals);
            if (totals.getOutcome() != null) {
                taskClassDelta = taskClassDelta(totals, model, correction.getCostDeltaNanos());
            }
        }
        context.forward(record.withValue(new AppliedCorrection(correction, taskClassDelta)));
    }

    /** The change of the task's kind of work on its outcome's day: spend, and success spend or waste. */
    private static TaskClassStats taskClassDelta(TaskTotals totals, String model, long costDelta) {
        boolean success = "SUCCESS".equals(totals.getOutcome());
        return TaskClassStats.newBuilder()
                .setTaskClass(totals.getTaskClass()).setModel(model).setDay(Days.of(totals.getOutcomeTime()))
                .setCalls(0L).setCostNanos(costDelta).setTasks(0L).setSuccessfulTasks(0L)
                .setSuccessfulCostNanos(success ? costDelta : 0L).setWasteNanos(success ? 0L : costDelta)
                .build();
    }
}
