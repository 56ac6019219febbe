package dev.costmeter.faults.workload;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.price.CostOracle;
import dev.costmeter.faults.price.ExpectedCost;
import dev.costmeter.faults.price.ModelPrice;
import dev.costmeter.faults.price.Tokens;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates a workload from a {@link WorkloadSpec}: a pure function of the spec, so one seed always
 * gives the same calls, re-sends, outcomes and bad records at the same offsets.
 *
 * <p>Tasks are short (1–3 calls), medium (4–30), long (hundreds of calls, spread so that no minute of
 * event time holds more than {@code maxTaskCallsPerMinute} of them) or designed runaways. Calls fail
 * now and then and are retried with a new event id and {@code attempt > 1}; a few are late (event
 * time one to four minutes before they are sent, inside metering's five-minute grace); a share are
 * re-sent later with the same bytes. Alerting's other rules are kept quiet by construction: every
 * tool call outside the runaways has its own arguments, no call carries a prompt hash, failures and
 * retries stay far below the storm and failure shares, and prices keep every scope far from the
 * spike floor.
 */
public final class WorkloadPlanner {

    private static final List<String> TOOLS = List.of("web_search", "fetch_page", "run_sql", "read_file");
    private static final List<Profile> ORDINARY = List.of(Profile.values());
    private static final double RETRY_SHARE_OF_FAILURES = 0.8;
    private static final double PROVIDER_COST_SHARE = 0.3;
    private static final double OUTCOME_SHARE = 0.9;
    private static final double CAPPED_TENANT_SHARE = 0.08;

    private final WorkloadSpec spec;
    /** The longest pause between two calls of a task: three seconds, less in a short workload so tasks fit in it. */
    private final long gap;
    private final SplittableRandom random;
    private final List<PlannedCall> drafts = new ArrayList<>();
    private final List<PlannedOutcome> outcomes = new ArrayList<>();
    private final Set<String> runawayTaskIds = new HashSet<>();
    private final List<String> longTaskIds = new ArrayList<>();
    private int taskNo;

    private WorkloadPlanner(WorkloadSpec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
        this.gap = Math.max(10, Math.min(3_000, spec.durationMs() / 40));
    }

    public static WorkloadPlan plan(WorkloadSpec spec) {
        return new WorkloadPlanner(spec).build();
    }

    /** The context every call of one task shares. */
    private record Task(String id, String tenant, Profile profile, String promptVersion, String endUser,
            Map<String, String> labels) {
    }

    private WorkloadPlan build() {
        List<DesignedRunaway> runaways = new ArrayList<>();
        for (int i = 0; i < spec.runawayTasks(); i++) {
            runaways.add(runawayTask());
        }
        for (int i = 0; i < spec.longTasks(); i++) {
            longTask();
        }
        while (drafts.size() < spec.calls()) {
            ordinaryTask();
        }
        drafts.sort(Comparator.comparingLong(PlannedCall::offsetMs).thenComparing(PlannedCall::eventId));
        List<PlannedCall> calls = new ArrayList<>(drafts.size());
        for (PlannedCall draft : drafts) {
            calls.add(indexed(draft, calls.size()));
        }
        List<Step> steps = new ArrayList<>();
        calls.forEach(call -> steps.add(new Step.Call(call)));
        outcomes.sort(Comparator.comparingLong(PlannedOutcome::offsetMs).thenComparing(PlannedOutcome::taskId));
        outcomes.forEach(outcome -> steps.add(new Step.SendOutcome(outcome)));
        steps.addAll(resends(calls));
        List<PlannedPoison> poison = poison();
        poison.forEach(p -> steps.add(new Step.Poison(p)));
        steps.sort(Comparator.comparingLong(Step::offsetMs));
        return new WorkloadPlan(spec, List.copyOf(steps), List.copyOf(calls), List.copyOf(outcomes), poison,
                List.copyOf(runaways), Names.CAPPED_TENANT, capLimit(calls));
    }

    private DesignedRunaway runawayTask() {
        Task task = newTask(Profile.AGENT, pick(Names.TENANTS));
        runawayTaskIds.add(task.id());
        long at = between(spec.durationMs() / 10, spec.durationMs() * 7 / 10);
        int step = 1;
        for (; step <= 3; step++, at += 1_000) {
            drafts.add(attempt(task, step, 1, at, CampaignPrices.SONNET, tool(task, step), false));
        }
        String argsHash = "loop-" + task.id();
        int repeats = 2 * spec.loopLimit() - 1;
        for (int i = 0; i < repeats; i++, step++, at += 40) {
            drafts.add(call(task, step, 1, at, at, CampaignPrices.SONNET, "web_search", argsHash, CallStatus.OK,
                    new Tokens(1_200 + i, 80, 2_000, 0), 0, false, false));
        }
        outcomes.add(new PlannedOutcome(at + 1_000, task.id(), task.tenant(), task.profile().taskClass,
                task.profile().route, Outcome.ABANDONED, false));
        return new DesignedRunaway(task.id(), task.tenant(), "web_search", argsHash, repeats);
    }

    private void longTask() {
        Task task = newTask(Profile.AGENT, tenant());
        longTaskIds.add(task.id());
        long window = spec.durationMs() * 95 / 100;
        int calls = (int) between(spec.longTaskMinCalls(), spec.longTaskMaxCalls() + 1L);
        long span = between(spec.durationMs() / 2, window);
        if (spec.maxTaskCallsPerMinute() > 0) {
            calls = (int) Math.min(calls, window * spec.maxTaskCallsPerMinute() / 60_000);
            span = Math.min(window, Math.max(span, calls * 60_000L / spec.maxTaskCallsPerMinute()));
        }
        calls = Math.max(calls, 1);
        long start = between(0, spec.durationMs() - span + 1);
        long spacing = Math.max(1, span / calls);
        long last = start;
        for (int step = 1; step <= calls; step++) {
            long at = start + (step - 1) * spacing + between(0, Math.max(1, spacing / 4));
            last = callWithRetries(task, step, at, model(task));
        }
        outcome(task, last);
    }

    private void ordinaryTask() {
        Task task = newTask(ORDINARY.get(random.nextInt(ORDINARY.size())), tenant());
        int calls = random.nextDouble() < 0.75 ? (int) between(1, 4) : (int) between(4, 31);
        long at = between(0, Math.max(1, spec.durationMs() - calls * gap * 11 / 20));
        for (int step = 1; step <= calls; step++) {
            at = callWithRetries(task, step, at, model(task)) + between(gap / 10, gap);
        }
        outcome(task, at);
    }

    /** One step: its call, and a retry with a new event id when it failed (usually). Returns the last offset. */
    private long callWithRetries(Task task, int step, long at, ModelPrice model) {
        PlannedCall call = attempt(task, step, 1, at, model, tool(task, step), random.nextDouble() < spec.lateShare());
        drafts.add(call);
        int attempt = 1;
        while (call.status() != CallStatus.OK && attempt < 3 && random.nextDouble() < RETRY_SHARE_OF_FAILURES) {
            at += between(gap / 6, gap * 2 / 3);
            call = attempt(task, step, ++attempt, at, model, call.toolName(), false);
            drafts.add(call);
        }
        return at;
    }

    private PlannedCall attempt(Task task, int step, int attempt, long at, ModelPrice model, String tool, boolean late) {
        boolean first = step == 1 && attempt == 1;
        Tokens tokens = tokens(task.profile(), model, first);
        long reasoning = 0;
        boolean batch = false;
        boolean cacheHit = false;
        switch (task.profile()) {
            case DOC_QA, AGENT -> reasoning = between(0, tokens.output() / 3 + 1);
            case BULK -> batch = random.nextDouble() < 0.9;
            case TRIAGE -> batch = model == CampaignPrices.NANO && random.nextDouble() < 0.1;
            case SUMMARY -> cacheHit = random.nextDouble() < 0.3;
            default -> { }
        }
        CallStatus status = CallStatus.OK;
        if (!cacheHit && random.nextDouble() < spec.failureShare()) {
            status = List.of(CallStatus.ERROR, CallStatus.TIMEOUT, CallStatus.RATE_LIMITED).get(random.nextInt(3));
            tokens = switch (status) {
                case RATE_LIMITED -> new Tokens(0, 0, 0, 0);
                case TIMEOUT -> new Tokens(tokens.input(), 0, tokens.cacheRead(), tokens.cacheWrite());
                default -> new Tokens(tokens.input(), Math.min(tokens.output(), 50), tokens.cacheRead(), tokens.cacheWrite());
            };
            reasoning = Math.min(reasoning, tokens.output());
        }
        long eventAt = late ? at - between(60_000, 240_001) : at;
        String argsHash = tool == null ? null : "args-" + task.id() + "-" + step;
        return call(task, step, attempt, at, eventAt, model, tool, argsHash, status, tokens, reasoning, batch, cacheHit);
    }

    private PlannedCall call(Task task, int step, int attempt, long at, long eventAt, ModelPrice model, String tool,
            String argsHash, CallStatus status, Tokens tokens, long reasoning, boolean batch, boolean cacheHit) {
        Long providerCost = null;
        if (!cacheHit && random.nextDouble() < PROVIDER_COST_SHARE) {
            providerCost = CostOracle.price(model, tokens, batch, false).total().longValueExact();
        }
        String eventId = "e" + spec.seed() + "-" + task.id().substring(task.id().indexOf('-') + 1) + "-" + step + "-" + attempt;
        return new PlannedCall(-1, at, eventAt, eventId, task.id(), task.tenant(), task.profile().taskClass,
                task.profile().route, task.promptVersion(), task.endUser(), model, tokens, reasoning, batch, attempt, step,
                tool, argsHash, status, cacheHit, (int) between(80, 9_000), providerCost, task.labels());
    }

    private Tokens tokens(Profile profile, ModelPrice model, boolean first) {
        return switch (profile) {
            case TICKET -> first
                    ? new Tokens(between(200, 2_500), between(50, 900), 0, between(2_000, 6_000))
                    : new Tokens(between(200, 2_500), between(50, 900), between(2_000, 8_000),
                            random.nextDouble() < 0.1 ? between(500, 1_500) : 0);
            case DOC_QA -> docQaTokens();
            case BULK -> new Tokens(between(100, 1_500), between(5, 200), 0, 0);
            case SUMMARY -> new Tokens(between(500, 6_000), between(100, 600), 0, 0);
            case TRIAGE -> new Tokens(between(100, 3_000), between(10, 300), 0, 0);
            case AGENT -> new Tokens(between(500, 5_000), between(50, 1_500), model == CampaignPrices.SONNET ? between(0, 4_000) : 0, 0);
        };
    }

    /** Mostly ordinary prompts; one in five above the 200k threshold; a few exactly at it or one above. */
    private Tokens docQaTokens() {
        long threshold = CampaignPrices.PRO.longContext().thresholdPromptTokens();
        long output = between(100, 2_000);
        double kind = random.nextDouble();
        if (kind < 0.02) {
            long cacheRead = between(0, 20_000);
            return new Tokens(threshold - cacheRead, output, cacheRead, 0);
        }
        if (kind < 0.04) {
            long cacheRead = between(0, 20_000);
            return new Tokens(threshold + 1 - cacheRead, output, cacheRead, 0);
        }
        if (kind < 0.24) {
            return new Tokens(between(150_000, 260_000), output, between(0, 20_000), 0);
        }
        return new Tokens(between(2_000, 60_000), output, between(0, 4_000), 0);
    }

    private String tool(Task task, int step) {
        return task.profile() == Profile.AGENT && random.nextDouble() < 0.6 ? TOOLS.get(random.nextInt(TOOLS.size())) : null;
    }

    private ModelPrice model(Task task) {
        List<ModelPrice> models = task.profile().models;
        if (models.size() == 1) {
            return models.get(0);
        }
        return random.nextDouble() < 0.7 ? models.get(0) : models.get(1);
    }

    private void outcome(Task task, long lastCallAt) {
        if (random.nextDouble() >= OUTCOME_SHARE) {
            return;
        }
        double r = random.nextDouble();
        Outcome outcome = r < 0.72 ? Outcome.SUCCESS : r < 0.84 ? Outcome.FAILURE : r < 0.92 ? Outcome.ESCALATED : Outcome.ABANDONED;
        outcomes.add(new PlannedOutcome(lastCallAt + between(gap / 6, gap), task.id(), task.tenant(), task.profile().taskClass,
                task.profile().route, outcome, random.nextDouble() < 0.1));
    }

    /** Re-sends of earlier calls: a share at random, and a few of each long task's calls past its 64th. */
    private List<Step> resends(List<PlannedCall> calls) {
        List<PlannedCall> eligible = calls.stream().filter(c -> !runawayTaskIds.contains(c.taskId())).toList();
        List<Step> resends = new ArrayList<>();
        long count = Math.round(spec.duplicateShare() * calls.size());
        for (long i = 0; i < count && !eligible.isEmpty(); i++) {
            PlannedCall target = eligible.get(random.nextInt(eligible.size()));
            resends.add(new Step.Resend(target.offsetMs() + resendDelay(), target.index()));
        }
        for (String taskId : longTaskIds) {
            List<PlannedCall> late = calls.stream().filter(c -> c.taskId().equals(taskId) && c.step() > 64).toList();
            for (int i = 0; i < 3 && !late.isEmpty(); i++) {
                PlannedCall target = late.get(random.nextInt(late.size()));
                resends.add(new Step.Resend(target.offsetMs() + resendDelay(), target.index()));
            }
        }
        return resends;
    }

    /** A re-send goes out after the original was acknowledged: a few seconds to half a minute later in a long run. */
    private long resendDelay() {
        return between(gap, gap * 10);
    }

    private List<PlannedPoison> poison() {
        List<PlannedPoison> poison = new ArrayList<>();
        for (PoisonKind kind : PoisonKind.values()) {
            if (!spec.poisonKinds().contains(kind)) {
                continue;
            }
            for (int i = 0; i < spec.poisonPerKind(); i++) {
                int n = poison.size();
                poison.add(new PlannedPoison(n, between(spec.durationMs() / 20, spec.durationMs() * 19 / 20), kind,
                        "p" + spec.seed() + "-" + n, "tp" + spec.seed() + "-" + n, pick(Names.TENANTS), random.nextLong()));
            }
        }
        return List.copyOf(poison);
    }

    /** Three quarters of the capped tenant's planned spend, so its spend crosses 50%, 70% and 100%. */
    private long capLimit(List<PlannedCall> calls) {
        BigInteger spend = BigInteger.ZERO;
        for (PlannedCall call : calls) {
            if (call.tenant().equals(Names.CAPPED_TENANT)) {
                ExpectedCost cost = CostOracle.price(call.model(), call.tokens(), call.batch(), call.responseCacheHit());
                spend = spend.add(cost.total());
            }
        }
        return Math.max(1, spend.multiply(BigInteger.valueOf(3)).divide(BigInteger.valueOf(4)).longValueExact());
    }

    private Task newTask(Profile profile, String tenant) {
        taskNo++;
        String id = "t" + spec.seed() + "-" + taskNo;
        String promptVersion = random.nextDouble() < 0.85 ? profile.route + "@v" + between(1, 4) : null;
        String endUser = random.nextDouble() < 0.8 ? "u" + between(1, 51) : null;
        Map<String, String> labels = random.nextDouble() < 0.5
                ? Map.of("campaign", "seed-" + spec.seed(), "team", "team-" + between(1, 6))
                : Map.of("campaign", "seed-" + spec.seed());
        return new Task(id, tenant, profile, promptVersion, endUser, labels);
    }

    private String tenant() {
        return random.nextDouble() < CAPPED_TENANT_SHARE ? Names.CAPPED_TENANT : pick(Names.TENANTS);
    }

    private String pick(List<String> names) {
        return names.get(random.nextInt(names.size()));
    }

    /** A long in [from, to). */
    private long between(long from, long to) {
        return to <= from ? from : from + random.nextLong(to - from);
    }

    private static PlannedCall indexed(PlannedCall c, int index) {
        return new PlannedCall(index, c.offsetMs(), c.eventOffsetMs(), c.eventId(), c.taskId(), c.tenant(), c.taskClass(),
                c.route(), c.promptVersion(), c.endUser(), c.model(), c.tokens(), c.reasoningTokens(), c.batch(), c.attempt(),
                c.step(), c.toolName(), c.toolArgsHash(), c.status(), c.responseCacheHit(), c.latencyMs(),
                c.providerCostNanos(), c.labels());
    }
}
