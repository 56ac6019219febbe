package dev.costmeter.alerting.spend;

import dev.costmeter.alerting.budgets.Budgets;
import dev.costmeter.alerting.budgets.Scopes;
import dev.costmeter.alerting.scopes.ScopeSignal;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.UsageEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The fast path of the spend caps: each priced call is added to every capped scope it belongs to
 * (its tenant, route, prompt version on its route, task class and end user, when that scope has an
 * enabled budget policy), summed per scope and UTC hour on this partition, and sent on to the scope
 * rules every {@code flushInterval} (tens of milliseconds) as a small {@link ScopeSignal#SPEND}
 * delta, through the app's one repartition. Scopes without a policy cost nothing here.
 *
 * <p>The buffer is a logged store read back on init: under exactly-once a commit may come between
 * two flushes, and what was counted but not yet sent must survive a crash with the offsets it
 * belongs to. The map in memory is the same content as objects; it is rebuilt from the store on
 * init, so a task revived after a failure never sends a delta twice.
 */
public final class SpendBuffer implements Processor<String, PricedCall, String, ScopeSignal> {

    public static final String STORE = "cap-spend-buffer-store";

    private static final long HOUR_MS = 3_600_000L;
    private static final char SEP = '\u001f';

    private final Duration flushInterval;
    private final Function<ProcessorContext<?, ?>, Budgets> budgetsOf;
    private ProcessorContext<String, ScopeSignal> context;
    private KeyValueStore<String, SpendDelta> store;
    private Budgets budgets;
    private final Map<String, SpendDelta> pending = new HashMap<>();
    private long oldestPendingMs = -1;
    private LongSupplier clock;

    public SpendBuffer(Duration flushInterval, Function<ProcessorContext<?, ?>, Budgets> budgetsOf) {
        this.flushInterval = flushInterval;
        this.budgetsOf = budgetsOf;
    }

    @Override
    public void init(ProcessorContext<String, ScopeSignal> context) {
        this.context = context;
        this.store = context.getStateStore(STORE);
        this.budgets = budgetsOf.apply(context);
        this.clock = context::currentSystemTimeMs;
        pending.clear();
        oldestPendingMs = -1;
        try (KeyValueIterator<String, SpendDelta> all = store.all()) {
            all.forEachRemaining(entry -> pending.put(entry.key, entry.value));
        }
        if (!pending.isEmpty()) {
            oldestPendingMs = clock.getAsLong();
        }
        context.schedule(flushInterval, PunctuationType.WALL_CLOCK_TIME, now -> flush());
    }

    @Override
    public void process(Record<String, PricedCall> record) {
        PricedCall call = record.value();
        if (call.costNanos() > 0) {
            UsageEvent e = call.event();
            long eventMs = e.getEventTime().toEpochMilli();
            long hour = Math.floorDiv(eventMs, HOUR_MS) * HOUR_MS;
            for (String scope : cappedScopes(e)) {
                String key = scope + SEP + hour;
                SpendDelta before = pending.get(key);
                SpendDelta after = (before == null ? new SpendDelta(scope, hour, 0, 0, eventMs, null) : before)
                        .plus(call.costNanos(), eventMs, e.getTaskId());
                pending.put(key, after);
                store.put(key, after);
                if (oldestPendingMs < 0) {
                    oldestPendingMs = clock.getAsLong();
                }
            }
        }
        // Under load the punctuation may come late; a busy partition flushes as it goes.
        if (oldestPendingMs >= 0 && clock.getAsLong() - oldestPendingMs >= flushInterval.toMillis()) {
            flush();
        }
    }

    private List<String> cappedScopes(UsageEvent e) {
        List<String> scopes = new ArrayList<>(5);
        addIfCapped(scopes, Scopes.tenant(e.getTenantId()));
        addIfCapped(scopes, Scopes.route(e.getRoute()));
        addIfCapped(scopes, Scopes.taskClass(e.getTaskClass()));
        if (e.getPromptVersion() != null) {
            addIfCapped(scopes, Scopes.prompt(e.getRoute(), e.getPromptVersion()));
        }
        if (e.getEndUserId() != null) {
            addIfCapped(scopes, Scopes.endUser(e.getTenantId(), e.getEndUserId()));
        }
        return scopes;
    }

    private void addIfCapped(List<String> scopes, String scope) {
        Optional<BudgetPolicy> policy = budgets.policy(scope);
        if (policy.isPresent() && !policy.get().getLimits().isEmpty()) {
            scopes.add(scope);
        }
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<KeyValue<String, SpendDelta>> due = new ArrayList<>();
        pending.forEach((key, delta) -> due.add(KeyValue.pair(key, delta)));
        pending.clear();
        oldestPendingMs = -1;
        for (KeyValue<String, SpendDelta> entry : due) {
            store.delete(entry.key);
            SpendDelta d = entry.value;
            context.forward(new Record<>(d.scope(), ScopeSignal.spend(d.hourStartMs(), d.lastEventMs(), d.costNanos(), d.calls(),
                    d.contributors()), d.lastEventMs()));
        }
    }

    @Override
    public void close() {
        pending.clear();
    }
}
