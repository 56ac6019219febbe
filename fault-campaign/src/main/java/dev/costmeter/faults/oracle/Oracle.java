package dev.costmeter.faults.oracle;

import dev.costmeter.contracts.Outcome;
import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.price.CostOracle;
import dev.costmeter.faults.price.ExpectedCost;
import dev.costmeter.faults.price.ModelPrice;
import dev.costmeter.faults.workload.DesignedRunaway;
import dev.costmeter.faults.workload.PlannedCall;
import dev.costmeter.faults.workload.PlannedOutcome;
import dev.costmeter.faults.workload.PlannedPoison;
import dev.costmeter.faults.workload.WorkloadPlan;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Derives {@link Expectations} from a plan, the instant its run started and which of its records were
 * acknowledged. Every amount comes from {@link CostOracle}; every aggregate is summed here from those
 * amounts, following the rules the READMEs give (metering-stream's rollups, task totals and task_class
 * economics; the sink's views; alerting-stream's ladders and loop rule).
 */
public final class Oracle {

    private Oracle() {
    }

    /**
     * @param accepted        which calls (by plan index) were acknowledged by Kafka
     * @param outcomeAccepted which outcomes (by index in {@link WorkloadPlan#outcomes()}) were acknowledged
     * @param poisonBytes     the value bytes of each acknowledged bad record, by poison index
     */
    public static Expectations expect(WorkloadPlan plan, Instant runStart, IntPredicate accepted,
            IntPredicate outcomeAccepted, Map<Integer, byte[]> poisonBytes) {
        Map<String, LedgerRow> ledger = new LinkedHashMap<>();
        Map<String, Integer> callIndex = new HashMap<>();
        Map<Keys.Rollup, SpendTotals> rollups = new TreeMap<>(Comparator.comparing(Keys.Rollup::dimension)
                .thenComparing(Keys.Rollup::scope).thenComparing(Keys.Rollup::day));
        Map<String, TaskSums> tasks = new LinkedHashMap<>();
        Map<Keys.DailySpend, Values.CallsAndCost> dailySpend = new HashMap<>();
        for (PlannedCall call : plan.calls()) {
            if (!accepted.test(call.index())) {
                continue;
            }
            LedgerRow row = row(call, runStart);
            ledger.put(row.eventId(), row);
            callIndex.put(row.eventId(), call.index());
            LocalDate day = day(row.eventTime());
            rollup(rollups, "TENANT", row.tenantId(), day, row);
            rollup(rollups, "ROUTE", row.route(), day, row);
            rollup(rollups, "MODEL", row.modelKey(), day, row);
            rollup(rollups, "TASK_CLASS", row.taskClass(), day, row);
            if (row.promptVersion() != null) {
                rollup(rollups, "PROMPT_VERSION", row.promptVersion(), day, row);
            }
            tasks.computeIfAbsent(row.taskId(), id -> new TaskSums()).add(row);
            dailySpend.merge(new Keys.DailySpend(day, row.tenantId(), row.route(), row.provider(), row.model()),
                    new Values.CallsAndCost(1, row.costNanos()),
                    (a, b) -> new Values.CallsAndCost(a.calls() + b.calls(), Math.addExact(a.costNanos(), b.costNanos())));
        }
        Map<String, PlannedOutcome> outcomes = new HashMap<>();
        for (int i = 0; i < plan.outcomes().size(); i++) {
            if (outcomeAccepted.test(i)) {
                outcomes.put(plan.outcomes().get(i).taskId(), plan.outcomes().get(i));
            }
        }
        Map<String, Values.Task> taskValues = new LinkedHashMap<>();
        Map<String, Values.TaskSpend> taskSpend = new LinkedHashMap<>();
        tasks.forEach((id, sums) -> {
            PlannedOutcome outcome = outcomes.get(id);
            String name = outcome == null ? null : outcome.outcome().name();
            taskValues.put(id, sums.value(name));
            taskSpend.put(id, new Values.TaskSpend(sums.calls, sums.cost, name));
        });
        return new Expectations(ledger, callIndex, rollups, taskValues, taskClasses(tasks, outcomes, runStart), dailySpend,
                taskSpend, successCost(tasks, outcomes, runStart), deadLetters(plan, poisonBytes),
                alerts(plan, ledger.values()), blockedScopes(plan, ledger.values()));
    }

    /** The ledger row a call must produce. */
    public static LedgerRow row(PlannedCall call, Instant runStart) {
        Instant eventTime = call.eventTime(runStart);
        ModelPrice model = call.model();
        Optional<ModelPrice> inForce = CostOracle.inForce(versions(model), eventTime);
        ExpectedCost cost = inForce.map(p -> CostOracle.price(p, call.tokens(), call.batch(), call.responseCacheHit()))
                .orElseGet(CostOracle::unpriced);
        return new LedgerRow(call.eventId(), eventTime, call.tenant(), call.taskId(), call.taskClass(), call.route(),
                call.promptVersion(), call.endUser(), model.provider(), model.model(), call.tokens().input(),
                call.tokens().output(), call.tokens().cacheRead(), call.tokens().cacheWrite(), call.reasoningTokens(),
                call.batch(), call.attempt(), call.step(), call.toolName(), call.status().name(), call.responseCacheHit(),
                cost.total().longValueExact(), cost.input().longValueExact(), cost.output().longValueExact(),
                cost.cacheRead().longValueExact(), cost.cacheWrite().longValueExact(), cost.savings().longValueExact(),
                cost.priced(), cost.priceVersion(), cost.longContext(), call.providerCostNanos());
    }

    /** The versions of a model's price the campaign publishes: one each. */
    private static List<ModelPrice> versions(ModelPrice model) {
        ModelPrice published = CampaignPrices.byKey(model.key());
        return published == null ? List.of() : List.of(published);
    }

    public static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void rollup(Map<Keys.Rollup, SpendTotals> rollups, String dimension, String scope, LocalDate day,
            LedgerRow row) {
        rollups.merge(new Keys.Rollup(dimension, scope, day), SpendTotals.ZERO.plus(row), (a, b) -> a.plus(row));
    }

    /**
     * metering-stream's task_class table: a task with an outcome counts, on the UTC day of its outcome,
     * once per model it used, with its calls and spend on that model as successful spend or waste.
     */
    private static Map<Keys.TaskClass, Values.TaskClassStats> taskClasses(Map<String, TaskSums> tasks,
            Map<String, PlannedOutcome> outcomes, Instant runStart) {
        Map<Keys.TaskClass, Values.TaskClassStats> stats = new HashMap<>();
        tasks.forEach((id, task) -> {
            PlannedOutcome outcome = outcomes.get(id);
            if (outcome == null) {
                return;
            }
            boolean success = outcome.outcome() == Outcome.SUCCESS;
            LocalDate day = day(outcome.eventTime(runStart));
            task.models.forEach((model, use) -> stats.merge(new Keys.TaskClass(task.taskClass, day, model),
                    new Values.TaskClassStats(use.calls(), use.costNanos(), 1, success ? 1 : 0,
                            success ? use.costNanos() : 0, success ? 0 : use.costNanos()),
                    (a, b) -> new Values.TaskClassStats(a.calls() + b.calls(), a.costNanos() + b.costNanos(),
                            a.tasks() + b.tasks(), a.successfulTasks() + b.successfulTasks(),
                            a.successfulCostNanos() + b.successfulCostNanos(), a.wasteNanos() + b.wasteNanos())));
        });
        return stats;
    }

    /** The sink's {@code cost_per_successful_task} view: every reported outcome, by its UTC day and task_class. */
    private static Map<Keys.ClassDay, Values.SuccessCost> successCost(Map<String, TaskSums> tasks,
            Map<String, PlannedOutcome> outcomes, Instant runStart) {
        Map<Keys.ClassDay, long[]> sums = new HashMap<>();
        outcomes.values().forEach(outcome -> {
            TaskSums task = tasks.get(outcome.taskId());
            long cost = task == null ? 0 : task.cost;
            boolean success = outcome.outcome() == Outcome.SUCCESS;
            long[] s = sums.computeIfAbsent(new Keys.ClassDay(day(outcome.eventTime(runStart)), outcome.taskClass()),
                    k -> new long[4]);
            s[0]++;
            s[1] += success ? 1 : 0;
            s[2] += cost;
            s[3] += success ? 0 : cost;
        });
        Map<Keys.ClassDay, Values.SuccessCost> view = new HashMap<>();
        sums.forEach((key, s) -> view.put(key, new Values.SuccessCost(s[0], s[1], s[2], s[3], s[1] == 0 ? null
                : BigDecimal.valueOf(s[2]).divide(BigDecimal.valueOf(s[1]), 0, RoundingMode.HALF_UP).longValueExact())));
        return view;
    }

    private static Map<String, ExpectedDeadLetter> deadLetters(WorkloadPlan plan, Map<Integer, byte[]> poisonBytes) {
        Map<String, ExpectedDeadLetter> expected = new LinkedHashMap<>();
        for (PlannedPoison poison : plan.poison()) {
            byte[] bytes = poisonBytes.get(poison.index());
            if (bytes != null) {
                expected.put(sha256(bytes), new ExpectedDeadLetter(poison.index(), poison.kind(), poison.kind().reason(),
                        poison.key()));
            }
        }
        return expected;
    }

    /**
     * The designed alerts: the capped tenant's ladder on each UTC day its spend reaches a step (alerting
     * compares {@code spend × 100 >= limit × pct}), and one loop per runaway whose calls all arrived.
     */
    private static List<ExpectedAlert> alerts(WorkloadPlan plan, Iterable<LedgerRow> ledger) {
        List<ExpectedAlert> alerts = new ArrayList<>();
        String scope = "tenant:" + plan.cappedTenant();
        spendByDay(plan.cappedTenant(), ledger).forEach((day, spend) -> {
            for (int pct : new int[] {50, 70, 100}) {
                if (reached(spend, plan.capLimitNanos(), pct)) {
                    String threshold = "DAY-" + pct;
                    alerts.add(new ExpectedAlert("budget_cap", scope, threshold, "budget_cap|" + scope + "|" + threshold + "|"
                            + day.atStartOfDay(ZoneOffset.UTC).toInstant()));
                }
            }
        });
        Set<String> seen = new LinkedHashSet<>();
        ledger.forEach(row -> seen.add(row.eventId()));
        for (DesignedRunaway runaway : plan.runaways()) {
            if (loopArrived(plan, runaway, seen)) {
                alerts.add(new ExpectedAlert("task_loop", "task:" + runaway.taskId(), "K" + plan.spec().loopLimit(), null));
            }
        }
        return alerts;
    }

    private static Set<String> blockedScopes(WorkloadPlan plan, Iterable<LedgerRow> ledger) {
        Set<String> scopes = new LinkedHashSet<>();
        spendByDay(plan.cappedTenant(), ledger).forEach((day, spend) -> {
            if (reached(spend, plan.capLimitNanos(), 100)) {
                scopes.add("tenant:" + plan.cappedTenant());
            }
        });
        Set<String> seen = new LinkedHashSet<>();
        ledger.forEach(row -> seen.add(row.eventId()));
        plan.runaways().stream().filter(r -> loopArrived(plan, r, seen)).forEach(r -> scopes.add("task:" + r.taskId()));
        return scopes;
    }

    private static boolean loopArrived(WorkloadPlan plan, DesignedRunaway runaway, Set<String> acceptedIds) {
        long arrived = plan.calls().stream().filter(c -> c.taskId().equals(runaway.taskId())
                && runaway.toolArgsHash().equals(c.toolArgsHash()) && acceptedIds.contains(c.eventId())).count();
        return arrived >= plan.spec().loopLimit();
    }

    private static Map<LocalDate, Long> spendByDay(String tenant, Iterable<LedgerRow> ledger) {
        Map<LocalDate, Long> spend = new TreeMap<>();
        for (LedgerRow row : ledger) {
            if (row.tenantId().equals(tenant)) {
                spend.merge(day(row.eventTime()), row.costNanos(), Math::addExact);
            }
        }
        return spend;
    }

    private static boolean reached(long spend, long limit, int pct) {
        return BigInteger.valueOf(spend).multiply(BigInteger.valueOf(100))
                .compareTo(BigInteger.valueOf(limit).multiply(BigInteger.valueOf(pct))) >= 0;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Running sums of one task. */
    private static final class TaskSums {
        String taskClass;
        long calls;
        long retries;
        long failures;
        long cacheHits;
        long unpriced;
        long input;
        long output;
        long cacheRead;
        long cacheWrite;
        long cost;
        long savings;
        long toolCalls;
        final Map<String, Values.ModelUse> models = new TreeMap<>();

        void add(LedgerRow row) {
            taskClass = row.taskClass();
            calls++;
            retries += row.attempt() > 1 ? 1 : 0;
            failures += "OK".equals(row.status()) ? 0 : 1;
            cacheHits += row.responseCacheHit() ? 1 : 0;
            unpriced += row.priced() ? 0 : 1;
            input += row.inputTokens();
            output += row.outputTokens();
            cacheRead += row.cacheReadTokens();
            cacheWrite += row.cacheWriteTokens();
            cost = Math.addExact(cost, row.costNanos());
            savings = Math.addExact(savings, row.savingsNanos());
            toolCalls += row.toolName() == null ? 0 : 1;
            models.merge(row.modelKey(), new Values.ModelUse(1, row.costNanos()),
                    (a, b) -> new Values.ModelUse(a.calls() + 1, Math.addExact(a.costNanos(), row.costNanos())));
        }

        Values.Task value(String outcome) {
            return new Values.Task(calls, retries, failures, cacheHits, unpriced, input, output, cacheRead, cacheWrite, cost,
                    savings, toolCalls, Map.copyOf(models), outcome);
        }
    }
}
