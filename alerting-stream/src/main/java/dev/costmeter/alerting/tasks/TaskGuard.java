package dev.costmeter.alerting.tasks;

import dev.costmeter.alerting.AlertingSettings;
import dev.costmeter.alerting.RuleSettings;
import dev.costmeter.alerting.budgets.Budgets;
import dev.costmeter.alerting.budgets.Scopes;
import dev.costmeter.alerting.control.CommandIssuer;
import dev.costmeter.alerting.control.ConditionTracker;
import dev.costmeter.alerting.control.Emission;
import dev.costmeter.alerting.control.Finding;
import dev.costmeter.alerting.control.OpenCondition;
import dev.costmeter.alerting.control.SwitchState;
import dev.costmeter.alerting.spend.PricedCall;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.contracts.TaskCeiling;
import dev.costmeter.contracts.UsageEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The per-task rules, on the usage topic itself (keyed by task_id, so no repartition and no wait
 * for pricing): call, retry and token ceilings, loop without progress (the same tool call or
 * prompt hash K times) and call-rate runaway (more than N calls in a sliding minute of event time).
 * Each blocks {@code task:<id>} on the event that crosses it. The spend ceiling is checked too: calls
 * arrive priced ({@link PricedCall}). Each call counts once: {@link UsageDedup}, before this
 * processor, drops copies of the task's latest event ids, which this processor remembers.
 */
public final class TaskGuard implements Processor<String, PricedCall, String, Emission> {

    public static final String STATE_STORE = "task-state-store";
    public static final String EXPIRY_STORE = "task-expiry-store";
    public static final String CONDITIONS_STORE = "task-conditions-store";
    public static final String SWITCHES_STORE = "task-switches-store";

    private static final long MINUTE_MS = 60_000L;

    private final RuleSettings rules;
    private final CommandIssuer issuer;
    private final Duration punctuateInterval;
    private final Function<ProcessorContext<?, ?>, Budgets> budgetsOf;
    private ProcessorContext<String, Emission> context;
    private KeyValueStore<String, TaskState> tasks;
    private KeyValueStore<String, String> expiry;
    private ConditionTracker tracker;
    private Budgets budgets;

    public TaskGuard(AlertingSettings settings, Function<ProcessorContext<?, ?>, Budgets> budgetsOf) {
        this.rules = settings.rules();
        this.issuer = new CommandIssuer(settings.keyRing());
        this.punctuateInterval = settings.punctuateInterval();
        this.budgetsOf = budgetsOf;
    }

    @Override
    public void init(ProcessorContext<String, Emission> context) {
        this.context = context;
        this.tasks = context.getStateStore(STATE_STORE);
        this.expiry = context.getStateStore(EXPIRY_STORE);
        KeyValueStore<String, OpenCondition> open = context.getStateStore(CONDITIONS_STORE);
        KeyValueStore<String, SwitchState> switches = context.getStateStore(SWITCHES_STORE);
        this.tracker = new ConditionTracker(open, switches, issuer,
                emission -> context.forward(new Record<>(emission.key(), emission, context.currentSystemTimeMs())));
        this.budgets = budgetsOf.apply(context);
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
    }

    @Override
    public void process(Record<String, PricedCall> record) {
        PricedCall call = record.value();
        UsageEvent event = call.event();
        String taskId = event.getTaskId();
        long now = context.currentSystemTimeMs();
        TaskState before = tasks.get(taskId);
        TaskState state = update(before == null ? TaskState.first(event.getTenantId(), event.getTaskClass(), now)
                : before, call, now);
        tasks.put(taskId, state);
        index(taskId, before, now);

        String scope = Scopes.task(taskId);
        Instant start = Instant.ofEpochMilli(state.firstSeenMs());
        Instant until = Instant.ofEpochMilli(now + rules.taskBlockDuration().toMillis());
        TaskCeiling ceiling = budgets.taskCeiling(event.getTaskClass(), event.getTenantId()).orElse(null);
        if (ceiling != null) {
            ceiling(scope, "task_calls", state.calls(), ceiling.getMaxCalls(), "calls", start, until);
            ceiling(scope, "task_retries", state.retries(), ceiling.getMaxRetries(), "calls", start, until);
            ceiling(scope, "task_tokens", state.tokens(), ceiling.getMaxTotalTokens(), "tokens", start, until);
            ceiling(scope, "task_spend", state.costNanos(), ceiling.getMaxCostNanos(), "nanos", start, until);
        }
        loop(scope, event, state, start, until);
        rate(scope, event, state, start, until);
    }

    private static TaskState update(TaskState s, PricedCall call, long now) {
        UsageEvent e = call.event();
        Map<String, Integer> repeats = s.repeats();
        if (e.getToolName() != null) {
            count(repeats, "tool:" + e.getToolName() + "#" + e.getToolArgsHash());
        }
        if (e.getPromptHash() != null) {
            count(repeats, "prompt:" + e.getPromptHash());
        }
        long at = e.getEventTime().toEpochMilli();
        List<Long> recent = new ArrayList<>();
        for (Long t : s.recent()) {
            if (t > at - MINUTE_MS) {
                recent.add(t);
            }
        }
        int insertAt = recent.size();
        while (insertAt > 0 && recent.get(insertAt - 1) > at) {
            insertAt--;
        }
        recent.add(insertAt, at);
        long tokens = e.getInputTokens() + e.getOutputTokens() + e.getCacheReadTokens() + e.getCacheWriteTokens();
        List<String> ids = s.recentIds();
        ids.add(e.getEventId());
        if (ids.size() > TaskState.RECENT_IDS) {
            ids.remove(0);
        }
        return new TaskState(s.tenantId(), s.taskClass(), s.firstSeenMs(), now, s.calls() + 1,
                s.retries() + (e.getAttempt() > 1 ? 1 : 0), s.tokens() + tokens, repeats, recent,
                Math.addExact(s.costNanos(), call.costNanos()), ids);
    }

    private static void count(Map<String, Integer> repeats, String key) {
        Integer seen = repeats.get(key);
        if (seen != null) {
            repeats.put(key, seen + 1);
        } else if (repeats.size() < TaskState.MAX_REPEAT_KEYS) {
            repeats.put(key, 1);
        }
    }

    private void ceiling(String scope, String rule, long observed, Number max, String unit, Instant start, Instant until) {
        if (max == null || observed < max.longValue()) {
            return;
        }
        String summary = "nanos".equals(unit)
                ? "Task reached its spend ceiling: " + usd(observed) + " of " + usd(max.longValue())
                : "Task reached its " + rule.substring(5) + " ceiling: " + observed + " of " + max;
        raise(rule, scope, unit + ">=" + max, start, until, observed, max.longValue(), unit, summary, Map.of());
    }

    private static String usd(long nanos) {
        return "$" + java.math.BigDecimal.valueOf(nanos, 9).stripTrailingZeros().toPlainString();
    }

    private void loop(String scope, UsageEvent e, TaskState state, Instant start, Instant until) {
        int k = rules.loopRepeatLimit();
        if (e.getToolName() != null) {
            String key = "tool:" + e.getToolName() + "#" + e.getToolArgsHash();
            int seen = state.repeats().getOrDefault(key, 0);
            if (seen >= k) {
                raise("task_loop", scope, "K" + k, start, until, seen, k, "calls",
                        "Task repeated tool call " + e.getToolName() + " with the same arguments " + seen + " times",
                        Map.of("tool_name", e.getToolName(), "tool_args_hash", String.valueOf(e.getToolArgsHash())));
            }
        }
        if (e.getPromptHash() != null) {
            int seen = state.repeats().getOrDefault("prompt:" + e.getPromptHash(), 0);
            if (seen >= k) {
                raise("task_loop", scope, "K" + k, start, until, seen, k, "calls",
                        "Task sent the same prompt " + seen + " times", Map.of("prompt_hash", e.getPromptHash()));
            }
        }
    }

    private void rate(String scope, UsageEvent e, TaskState state, Instant start, Instant until) {
        int n = rules.callsPerMinute();
        int inMinute = state.recent().size();
        if (inMinute > n) {
            raise("task_call_rate", scope, "N" + n, start, until, inMinute, n, "calls",
                    "Task made " + inMinute + " calls within a minute (limit " + n + ")", Map.of("window", "PT1M"));
        }
    }

    private void raise(String rule, String scope, String threshold, Instant start, Instant until, long observed,
            long limit, String unit, String summary, Map<String, String> evidence) {
        tracker.raise(new Finding(rule, scope, threshold, true, start, until, Severity.CRITICAL, summary, null,
                observed, limit, unit, "task since " + start, SwitchAction.BLOCK, null, List.of(), evidence),
                context.currentSystemTimeMs());
    }

    /** Keeps an index by minute of last activity, so idle tasks are found without scanning all tasks. */
    private void index(String taskId, TaskState before, long now) {
        long bucket = now - now % MINUTE_MS;
        if (before != null) {
            long previous = before.lastSeenMs() - before.lastSeenMs() % MINUTE_MS;
            if (previous == bucket) {
                return;
            }
            expiry.delete(indexKey(previous, taskId));
        }
        expiry.put(indexKey(bucket, taskId), taskId);
    }

    private static String indexKey(long bucket, String taskId) {
        String millis = Long.toString(bucket);
        return "0".repeat(Math.max(0, 13 - millis.length())) + millis + "|" + taskId;
    }

    private void punctuate(long now) {
        tracker.expire(now);
        long idleBefore = now - rules.taskIdleTimeout().toMillis();
        List<String> idle = new ArrayList<>();
        try (KeyValueIterator<String, String> due = expiry.range(indexKey(0, ""), indexKey(idleBefore, ""))) {
            while (due.hasNext()) {
                KeyValue<String, String> entry = due.next();
                idle.add(entry.key);
                tasks.delete(entry.value);
            }
        }
        idle.forEach(expiry::delete);
    }
}
