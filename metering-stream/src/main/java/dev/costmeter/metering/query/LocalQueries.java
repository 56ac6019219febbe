package dev.costmeter.metering.query;

import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.metering.MeteringTopology;
import dev.costmeter.metering.rollup.Counters;
import dev.costmeter.metering.rollup.Dimension;
import dev.costmeter.metering.rollup.Granularities;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import dev.costmeter.metering.taskclass.AggregateTaskClass;
import dev.costmeter.pricing.envelope.MonthlyEnvelope;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/** Answers queries from this instance's stores only; {@link MeteringRoutes} routes to the owner. */
public final class LocalQueries {

    private final StoreAccess stores;

    public LocalQueries(StoreAccess stores) {
        this.stores = stores;
    }

    /** Spend of one scope per window of {@code granularity} whose start is in [from, to). */
    public Map<String, Object> spend(RollupDimension dimension, String scope, Granularity granularity, Instant from, Instant to) {
        return rollupWindows(dimension, scope, granularity, from, to, Json::counters);
    }

    /**
     * What each lever saved for one scope, per window of {@code granularity} whose start is in
     * [from, to), and in total, from the same rollup windows as {@link #spend}.
     */
    public Map<String, Object> levers(RollupDimension dimension, String scope, Granularity granularity, Instant from,
            Instant to) {
        Map<String, Object> json = rollupWindows(dimension, scope, granularity, from, to, Levers::levers);
        json.put("unavailable", Levers.unavailable());
        return json;
    }

    /**
     * One scope's rollup windows of {@code granularity} whose start is in [from, to), each and their
     * total shown by {@code figures}: what {@link #spend} and {@link #levers} both read.
     */
    private Map<String, Object> rollupWindows(RollupDimension dimension, String scope, Granularity granularity, Instant from,
            Instant to, Function<Counters, Map<String, Object>> figures) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("'from' must be before 'to'");
        }
        ReadOnlyWindowStore<String, Counters> store = stores.window(MeteringTopology.ROLLUP_STORES.get(granularity));
        List<Map<String, Object>> windows = new ArrayList<>();
        Counters total = new Counters();
        long size = Granularities.sizeMs(granularity);
        try (WindowStoreIterator<Counters> it = store.fetch(Dimension.key(dimension, scope), from, to.minusMillis(1))) {
            while (it.hasNext()) {
                KeyValue<Long, Counters> window = it.next();
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("window_start", Instant.ofEpochMilli(window.key).toString());
                json.put("window_end", Instant.ofEpochMilli(window.key + size).toString());
                json.putAll(figures.apply(window.value));
                windows.add(json);
                total.add(window.value);
            }
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dimension", dimension.name());
        json.put("scope", scope);
        json.put("granularity", granularity.name());
        json.put("from", from.toString());
        json.put("to", to.toString());
        json.put("windows", windows);
        json.put("total", figures.apply(total));
        return json;
    }

    /**
     * One scope's best / base / worst month through day {@code through}, from its day windows
     * ({@link MonthlyEnvelope}: the rule PostgreSQL's {@code monthly_projection} applies too).
     */
    public Map<String, Object> envelope(RollupDimension dimension, String scope, YearMonth month, LocalDate through) {
        ReadOnlyWindowStore<String, Counters> store = stores.window(MeteringTopology.ROLLUP_STORES.get(Granularity.DAY));
        Map<LocalDate, Long> spend = new TreeMap<>();
        Map<LocalDate, Long> waste = new TreeMap<>();
        Instant from = month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant last = through.atStartOfDay(ZoneOffset.UTC).toInstant();
        try (WindowStoreIterator<Counters> it = store.fetch(Dimension.key(dimension, scope), from, last)) {
            while (it.hasNext()) {
                KeyValue<Long, Counters> window = it.next();
                LocalDate day = LocalDate.ofInstant(Instant.ofEpochMilli(window.key), ZoneOffset.UTC);
                spend.put(day, window.value.costNanos());
                // Corrections move a window's cost but not its retry spend (they are built without it), so a
                // retry repriced down could leave more retry spend than spend: what was spent bounds the waste.
                waste.put(day, Math.max(0, Math.min(window.value.retryCostNanos(), window.value.costNanos())));
            }
        }
        return EnvelopeJson.of(dimension, scope, MonthlyEnvelope.project(month, through, spend, waste), spend, waste);
    }

    /** One task's totals. */
    public Map<String, Object> task(String taskId) {
        ReadOnlyKeyValueStore<String, TaskTotals> tasks = stores.keyValue(MeteringTopology.TASK_STORE);
        TaskTotals totals = tasks.get(taskId);
        if (totals == null) {
            throw new NoSuchElementException("No task '" + taskId + "'");
        }
        return Json.task(totals);
    }

    /**
     * The {@code limit} most expensive tasks first seen on {@code day}, among this instance's tasks.
     * One pass over this instance's task store (there is no index by day: see {@code TaskUsage}).
     */
    public List<Map<String, Object>> topTasks(LocalDate day, int limit) {
        return topTasks(day, limit, tenant -> true);
    }

    /** As {@link #topTasks(LocalDate, int)}, among the tasks of the tenants {@code tenants} accepts. */
    public List<Map<String, Object>> topTasks(LocalDate day, int limit, java.util.function.Predicate<String> tenants) {
        long from = startOf(day);
        long to = startOf(day.plusDays(1));
        PriorityQueue<TaskTotals> top = new PriorityQueue<>(Comparator.comparingLong(TaskTotals::getCostNanos));
        forEachTask(totals -> {
            if (totals.getFirstSeen() >= from && totals.getFirstSeen() < to && tenants.test(totals.getTenantId())) {
                top.add(totals);
                if (top.size() > limit) {
                    top.poll();
                }
            }
        });
        List<TaskTotals> sorted = new ArrayList<>(top);
        sorted.sort(Comparator.comparingLong(TaskTotals::getCostNanos).reversed().thenComparing(TaskTotals::getTaskId));
        return sorted.stream().map(Json::task).toList();
    }

    private void forEachTask(Consumer<TaskTotals> action) {
        ReadOnlyKeyValueStore<String, TaskTotals> tasks = stores.keyValue(MeteringTopology.TASK_STORE);
        try (KeyValueIterator<String, TaskTotals> it = tasks.all()) {
            while (it.hasNext()) {
                action.accept(it.next().value);
            }
        }
    }

    private static long startOf(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /**
     * Per model: calls, cost, cost per call, success rate and cost per successful task of
     * {@code taskClass} over [from, to], from this instance's stores: the finished tasks of the
     * task-class store and the tasks without an outcome among this instance's task totals.
     */
    public Map<String, Object> taskClassModels(String taskClass, LocalDate from, LocalDate to) {
        return taskClassModelSums(taskClass, from, to).json(taskClass, from, to);
    }

    TaskClassModels taskClassModelSums(String taskClass, LocalDate from, LocalDate to) {
        if (from.isAfter(to)) {
            throw new IllegalArgumentException("'from' must not be after 'to'");
        }
        TaskClassModels models = new TaskClassModels();
        ReadOnlyKeyValueStore<String, TaskClassStats> store = stores.keyValue(MeteringTopology.TASK_CLASS_STORE);
        try (KeyValueIterator<String, TaskClassStats> it = store.range(
                AggregateTaskClass.key(taskClass, from.toString(), ""), AggregateTaskClass.key(taskClass, to.toString(), "\uffff"))) {
            while (it.hasNext()) {
                TaskClassStats s = it.next().value;
                models.addFinished(s.getModel(), s.getCalls(), s.getCostNanos(), s.getTasks(), s.getSuccessfulTasks(),
                        s.getSuccessfulCostNanos(), s.getWasteNanos());
            }
        }
        // Tasks without an outcome never reach the task-class store: count them from their totals, on
        // the day of their first call (as top tasks does), in one pass over this instance's tasks.
        long first = startOf(from);
        long end = startOf(to.plusDays(1));
        forEachTask(totals -> {
            if (totals.getOutcome() == null && totals.getFirstSeen() >= first && totals.getFirstSeen() < end
                    && taskClass.equals(totals.getTaskClass())) {
                totals.getModels().forEach((model, usage) -> models.addOpen(model, usage.getCalls(), usage.getCostNanos()));
            }
        });
        return models;
    }
}
