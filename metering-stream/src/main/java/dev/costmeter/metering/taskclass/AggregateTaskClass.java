package dev.costmeter.metering.taskclass;

import dev.costmeter.metering.state.TaskClassStats;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sums task_class deltas into {@code task_class|day|model} totals. The deltas were repartitioned by
 * task_class, so one instance owns a whole task_class and a day range is one prefix scan.
 */
public final class AggregateTaskClass implements Processor<String, TaskClassStats, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, TaskClassStats> store;

    public AggregateTaskClass(String storeName) {
        this.storeName = storeName;
    }

    /** The store key of one task_class, day and model. */
    public static String key(String taskClass, String day, String model) {
        return taskClass + "|" + day + "|" + model;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, TaskClassStats> record) {
        TaskClassStats delta = record.value();
        String key = key(delta.getTaskClass(), delta.getDay(), delta.getModel());
        TaskClassStats total = store.get(key);
        if (total == null) {
            store.put(key, delta);
            return;
        }
        total.setCalls(total.getCalls() + delta.getCalls());
        total.setCostNanos(Math.addExact(total.getCostNanos(), delta.getCostNanos()));
        total.setTasks(total.getTasks() + delta.getTasks());
        total.setSuccessfulTasks(total.getSuccessfulTasks() + delta.getSuccessfulTasks());
        total.setSuccessfulCostNanos(Math.addExact(total.getSuccessfulCostNanos(), delta.getSuccessfulCostNanos()));
        total.setWasteNanos(Math.addExact(total.getWasteNanos(), delta.getWasteNanos()));
        store.put(key, total);
    }
}
