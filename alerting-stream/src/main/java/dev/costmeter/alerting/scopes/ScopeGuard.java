package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.AlertingMetrics;
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
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The scope rules, on signals keyed by scope (the app's one repartition): spend caps with the
 * warning ladder (tenant, route, task_class, end_user and prompt version: fast spend deltas summed
 * from priced usage, reconciled with rollups and the ledger), spike, retry storm, failure share,
 * unpriced model, price drift, and silence of routes expected to produce traffic. A wall-clock punctuation resolves
 * conditions whose period ended and lifts their switches, even for scopes that went quiet.
 */
public final class ScopeGuard implements Processor<String, ScopeSignal, String, Emission> {

    public static final String STATE_STORE = "scope-state-store";
    public static final String CONDITIONS_STORE = "scope-conditions-store";
    public static final String SWITCHES_STORE = "scope-switches-store";

    private static final Duration SHORT_HOUR_HORIZON = Duration.ofHours(49);
    private static final Duration LONG_HOUR_HORIZON = Duration.ofDays(32);
    private static final Duration IDLE_SWEEP = Duration.ofMinutes(10);
    private static final Duration SCOPE_IDLE = Duration.ofDays(35);

    private final RuleSettings rules;
    private final CommandIssuer issuer;
    private final Duration punctuateInterval;
    private final Function<ProcessorContext<?, ?>, Budgets> budgetsOf;
    private final AlertingMetrics metrics;
    private ProcessorContext<String, Emission> context;
    private KeyValueStore<String, ScopeState> scopes;
    private ConditionTracker tracker;
    private Budgets budgets;
    private CapRule caps;
    private FlowRules flows;
    private ModelRules models;

    public ScopeGuard(AlertingSettings settings, Function<ProcessorContext<?, ?>, Budgets> budgetsOf,
            AlertingMetrics metrics) {
        this.metrics = metrics;
        this.rules = settings.rules();
        this.issuer = new CommandIssuer(settings.keyRing());
        this.punctuateInterval = settings.punctuateInterval();
        this.budgetsOf = budgetsOf;
    }

    /**
     * How long a resolved scope condition stays closed, so its dedup key does not page again: well
     * past any backlog alerting catches up on (the fault campaign saw minutes).
     */
    static final Duration REMEMBER_RESOLVED = Duration.ofHours(24);

    @Override
    public void init(ProcessorContext<String, Emission> context) {
        this.context = context;
        this.scopes = context.getStateStore(STATE_STORE);
        KeyValueStore<String, OpenCondition> open = context.getStateStore(CONDITIONS_STORE);
        KeyValueStore<String, SwitchState> switches = context.getStateStore(SWITCHES_STORE);
        this.tracker = new ConditionTracker(open, switches, issuer,
                emission -> context.forward(new Record<>(emission.key(), emission, context.currentSystemTimeMs())),
                REMEMBER_RESOLVED);
        this.budgets = budgetsOf.apply(context);
        this.caps = new CapRule(tracker, metrics::capOvershoot);
        this.flows = new FlowRules(rules, tracker);
        this.models = new ModelRules(rules, tracker);
        context.schedule(punctuateInterval, PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        context.schedule(IDLE_SWEEP, PunctuationType.WALL_CLOCK_TIME, this::forgetIdle);
    }

    @Override
    public void process(Record<String, ScopeSignal> record) {
        String scope = record.key();
        ScopeSignal signal = record.value();
        if (scope == null || signal == null) {
            return;
        }
        long now = context.currentSystemTimeMs();
        Optional<BudgetPolicy> policy = scope.startsWith("model:") ? Optional.empty() : budgets.policy(scope);
        ScopeState before = scopes.get(scope);
        ScopeState state = Accumulate.apply(before == null ? ScopeState.empty(now) : before, signal, now,
                rules.spikeBaseline().plus(rules.stormWindow()), hourHorizon(policy));
        scopes.put(scope, state);

        if (scope.startsWith("model:")) {
            models.evaluate(scope, state, signal, now);
            return;
        }
        policy.ifPresent(p -> caps.evaluate(scope, state, p, signal.windowStartMs(), now));
        if (signal.isCall() || "MINUTE".equals(signal.granularity())) {
            flows.evaluate(scope, state, now);
        }
        Duration gap = scope.startsWith("route:") ? rules.silence().get(scope.substring(6)) : null;
        if (gap != null) {
            tracker.clear(silenceId(scope, gap), "traffic resumed", now);
        }
    }

    /** Hour windows are kept a month only where a local-time month needs them. */
    private static Duration hourHorizon(Optional<BudgetPolicy> policy) {
        boolean localMonth = policy.isPresent()
                && !dev.costmeter.alerting.budgets.Periods.zone(policy.get().getTimeZone()).normalized().equals(ZoneOffset.UTC)
                && policy.get().getLimits().stream().anyMatch(l -> l.getPeriod() == BudgetPeriod.MONTH);
        return localMonth ? LONG_HOUR_HORIZON : SHORT_HOUR_HORIZON;
    }

    private void punctuate(long now) {
        tracker.expire(now);
        rules.silence().forEach((route, gap) -> {
            String scope = Scopes.route(route);
            ScopeState state = scopes.get(scope);
            if (state == null || state.lastTrafficMs() == 0) {
                return; // not owned by this task, or never seen: no baseline to be silent against
            }
            long quietFor = now - state.lastTrafficMs();
            if (quietFor > gap.toMillis()) {
                Instant last = Instant.ofEpochMilli(state.lastTrafficMs());
                tracker.raise(new Finding("silence", scope, gap.toString(), false, last,
                        Instant.ofEpochMilli(now + punctuateInterval.toMillis() * 3 + gap.toMillis()), Severity.WARNING,
                        scope + " produced no traffic since " + last + " (expected at least every " + gap + ")", null,
                        quietFor, gap.toMillis(), "ms", gap.toString(), null, null, List.of(), Map.of()), now);
            }
        });
    }

    private static String silenceId(String scope, Duration gap) {
        return "silence|" + scope + "|" + gap;
    }

    private void forgetIdle(long now) {
        List<String> idle = new ArrayList<>();
        long taskIdleBefore = now - rules.taskIdleTimeout().toMillis();
        long scopeIdleBefore = now - SCOPE_IDLE.toMillis();
        try (KeyValueIterator<String, ScopeState> all = scopes.all()) {
            while (all.hasNext()) {
                KeyValue<String, ScopeState> entry = all.next();
                long before = entry.key.startsWith("task:") ? taskIdleBefore : scopeIdleBefore;
                if (entry.value.lastSignalMs() < before && !(entry.key.startsWith("route:") && rules.silence().containsKey(entry.key.substring(6)))) {
                    idle.add(entry.key);
                }
            }
        }
        idle.forEach(scopes::delete);
    }
}
