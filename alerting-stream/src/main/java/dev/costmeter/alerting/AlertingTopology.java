package dev.costmeter.alerting;

import dev.costmeter.alerting.budgets.Budgets;
import dev.costmeter.alerting.control.ControlKeeper;
import dev.costmeter.alerting.control.Emission;
import dev.costmeter.alerting.control.KeptSwitch;
import dev.costmeter.alerting.control.OpenCondition;
import dev.costmeter.alerting.control.SwitchState;
import dev.costmeter.alerting.scopes.LedgerSignals;
import dev.costmeter.alerting.scopes.RollupSignals;
import dev.costmeter.alerting.scopes.ScopeGuard;
import dev.costmeter.alerting.scopes.ScopeSignal;
import dev.costmeter.alerting.scopes.ScopeState;
import dev.costmeter.alerting.spend.PriceCalls;
import dev.costmeter.alerting.spend.PricedCall;
import dev.costmeter.alerting.spend.SpendBuffer;
import dev.costmeter.alerting.spend.SpendDelta;
import dev.costmeter.alerting.state.JsonStateSerde;
import dev.costmeter.alerting.tasks.TaskGuard;
import dev.costmeter.alerting.tasks.TaskState;
import dev.costmeter.alerting.tasks.UsageDedup;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.runtime.deadletter.DecodeOrDeadLetter;
import dev.costmeter.schemas.control.Refusal;
import dev.costmeter.schemas.validation.UsageValidator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The alerting topology, built by a side-effect-free method (tests run it in
 * {@code TopologyTestDriver}; the app runs it).
 *
 * <pre>
 * budgets, prices (compacted) ─▶ global stores "budgets-store", "prices-store"
 * usage ─ decode, validate ─┬─ bad: skipped (metering dead-letters it)
 *                           └─ usage-dedup ─ usage-price ─┬─ task-guard (keyed by task_id: ceilings incl. spend,
 *                                                         │   loop, call rate) ─▶ alerts, control
 *                                                         └─ cap-spend (capped scopes' spend per hour, sent
 *                                                             every few tens of ms) ───────────────────────┐
 * ledger ─ decode ─ ledger-signals (end_user, prompt, model) ─────────────────────────────────────────────┤
 * rollups ─ decode ─ rollup-signals (tenant, route, task_class) ──────────────────────────────────────────┴▶
 *     repartition "scope-signals" ─▶ scope-guard (keyed by scope: caps + ladder, spike, storms, drift,
 *                                                 silence) ─▶ alerts, control
 * control (compacted, keyed by scope) ─ control-keeper (store "control-keeper-store": the newest
 *     verified command per scope) ─▶ control: re-assertions, and tombstones of lifted task switches
 * </pre>
 *
 * Per-task rules act on the usage event itself, without a repartition and without waiting for
 * metering, which is what keeps a loop's kill switch within the latency target. The spend caps act
 * on alerting's own pricing of the same event (one hop, the app's one repartition, which carries
 * small per-scope deltas rather than calls), and reconcile with metering's rollups and ledger,
 * which are deduplicated and exact but arrive seconds later.
 */
public final class AlertingTopology {

    public static final String BUDGETS_STORE = "budgets-store";
    public static final String PRICES_STORE = "prices-store";
    public static final String SCOPE_SIGNALS_REPARTITION = "scope-signals";

    private AlertingTopology() {
    }

    public static Topology build(AlertingSettings settings, AlertingSerdes serdes, AlertingMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        addStores(builder, settings.durableTaskState());
        builder.globalTable(settings.topics().budgets(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("budgets-source"),
                Materialized.<String, byte[], KeyValueStore<Bytes, byte[]>>as(BUDGETS_STORE)
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()));
        builder.globalTable(settings.topics().prices(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("prices-source"),
                // In memory, as in metering: small, read on every call, rebuilt from its compacted topic on start.
                // No record cache: it only adds a layer (a cache lookup) in front of a map to every read.
                Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore(PRICES_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()).withCachingDisabled());
        Function<ProcessorContext<?, ?>, Budgets> budgetsOf = context -> new Budgets(
                context.getStateStore(BUDGETS_STORE), serdes.budgetDeserializer(), settings.topics().budgets(), metrics);

        // metering-stream owns the usage topic's validation and dead-letters what fails it; alerting
        // applies the same rules and skips those events, so each bad record reaches the DLQ once.
        UsageValidator usageRules = settings.usageRules();
        KStream<String, UsageEvent> usage = DecodeOrDeadLetter.skipping(builder, "usage", settings.topics().usage(),
                () -> new DecodeOrDeadLetter<UsageEvent>(serdes.usageDeserializer(),
                        (key, value, nowMs) -> usageRules.check(key, value, nowMs)
                                .map(r -> new DecodeOrDeadLetter.Rejection(r.reason().tag(), r.detail())),
                        null, metrics::skipped, settings.appName()));
        // Each call counted once, then priced here with metering's own pricing code and price topic.
        KStream<String, PricedCall> calls = usage
                .processValues(() -> new UsageDedup(metrics), Named.as("usage-dedup"), TaskGuard.STATE_STORE)
                .processValues(() -> new PriceCalls(PRICES_STORE, settings.topics().prices(), serdes.priceDeserializer()),
                        Named.as("usage-price"));
        emit(calls.process(() -> new TaskGuard(settings, budgetsOf), Named.as("task-guard"),
                TaskGuard.STATE_STORE, TaskGuard.EXPIRY_STORE, TaskGuard.CONDITIONS_STORE, TaskGuard.SWITCHES_STORE),
                "task", settings, serdes, metrics);
        // The spend caps' fast path: per-scope spend of capped scopes, a few tens of milliseconds behind the call.
        KStream<String, ScopeSignal> spend = calls.process(() -> new SpendBuffer(settings.capFlushInterval(), budgetsOf),
                Named.as("cap-spend"), SpendBuffer.STORE);

        KStream<String, PricedUsage> ledger = decoded(builder, settings, metrics, "ledger", settings.topics().ledger(),
                serdes.ledgerDeserializer(), c -> Optional.empty());
        KStream<String, CostRollup> rollups = decoded(builder, settings, metrics, "rollup", settings.topics().rollups(),
                serdes.rollupDeserializer(), r -> Optional.empty());
        KStream<String, ScopeSignal> signals = ledger
                .process(LedgerSignals::new, Named.as("ledger-signals"))
                .merge(rollups.flatMap((key, rollup) -> RollupSignals.of(rollup), Named.as("rollup-signals")),
                        Named.as("scope-signals-merge"))
                .merge(spend, Named.as("scope-spend-merge"));
        emit(signals
                .repartition(Repartitioned.with(Serdes.String(), JsonStateSerde.of(ScopeSignal.class))
                        .withName(SCOPE_SIGNALS_REPARTITION))
                .process(() -> new ScopeGuard(settings, budgetsOf, metrics), Named.as("scope-guard"),
                        ScopeGuard.STATE_STORE, ScopeGuard.CONDITIONS_STORE, ScopeGuard.SWITCHES_STORE),
                "scope", settings, serdes, metrics);
        keepControl(builder, settings, serdes, metrics);
        return builder.build();
    }

    /**
     * The control topic read back, so that what it says after compaction stays what the newest
     * verified command says (see {@link ControlKeeper}). A sub-topology of its own: the topic is
     * keyed by scope, as the keeper's store.
     */
    private static void keepControl(StreamsBuilder builder, AlertingSettings settings, AlertingSerdes serdes,
            AlertingMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ControlKeeper.STORE),
                Serdes.String(), JsonStateSerde.of(KeptSwitch.class)));
        ControlKeeper.Listener counters = new ControlKeeper.Listener() {
            @Override
            public void refused(String topic, Refusal refusal) {
                metrics.controlRefused(refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }

            @Override
            public void wrote(String what) {
                metrics.controlWritten(what);
            }
        };
        builder.stream(settings.topics().control(), Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("control-source"))
                .process(() -> new ControlKeeper(settings.keyRing(), settings.keeper(), serdes.controlCommand().deserializer(),
                        counters), Named.as("control-keeper"), ControlKeeper.STORE)
                .to(settings.topics().control(),
                        Produced.with(Serdes.String(), serdes.controlCommand()).withName("control-keeper-sink"));
    }

    private static void emit(KStream<String, Emission> emissions, String name, AlertingSettings settings,
            AlertingSerdes serdes, AlertingMetrics metrics) {
        Map<String, KStream<String, Emission>> branches = emissions
                .peek((key, e) -> count(metrics, e), Named.as(name + "-count"))
                .split(Named.as(name + "-"))
                .branch((key, e) -> e.isAlert(), Branched.as("alerts"))
                .defaultBranch(Branched.as("commands"));
        branches.get(name + "-alerts").mapValues(Emission::alert, Named.as(name + "-alert-unwrap"))
                .to(settings.topics().alerts(), Produced.with(Serdes.String(), serdes.alert()).withName(name + "-alerts-sink"));
        branches.get(name + "-commands").mapValues(Emission::command, Named.as(name + "-command-unwrap"))
                .to(settings.topics().control(),
                        Produced.with(Serdes.String(), serdes.controlCommand()).withName(name + "-control-sink"));
    }

    private static void count(AlertingMetrics metrics, Emission e) {
        if (e.isAlert()) {
            metrics.alert(e.alert().getRule(), e.alert().getStatus().name());
        } else {
            metrics.command(e.command().getAction().name());
        }
    }

    /** Source and hand decoding; records that do not decode go to the DLQ exactly as received. */
    private static <T> KStream<String, T> decoded(StreamsBuilder builder, AlertingSettings settings,
            AlertingMetrics metrics, String name, String topic, Deserializer<T> deserializer,
            Function<T, Optional<String>> check) {
        DecodeOrDeadLetter.Rules<T> rules = (key, value, nowMs) -> check.apply(value)
                .map(detail -> new DecodeOrDeadLetter.Rejection("invalid", detail));
        return DecodeOrDeadLetter.stream(builder, name, topic, settings.topics().usageDlq(),
                () -> new DecodeOrDeadLetter<>(deserializer, rules, null, metrics::rejected, settings.appName()));
    }

    private static void addStores(StreamsBuilder builder, boolean durableTaskState) {
        StoreBuilder<KeyValueStore<String, TaskState>> tasks = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TaskGuard.STATE_STORE), Serdes.String(), JsonStateSerde.of(TaskState.class))
                .withCachingEnabled();
        StoreBuilder<KeyValueStore<String, String>> expiry = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TaskGuard.EXPIRY_STORE), Serdes.String(), Serdes.String())
                .withCachingEnabled();
        // see AlertingSettings#durableTaskState: soft per-task counters are what keeps a loop's switch fast
        builder.addStateStore(durableTaskState ? tasks : tasks.withLoggingDisabled());
        builder.addStateStore(durableTaskState ? expiry : expiry.withLoggingDisabled());
        conditionStores(builder, TaskGuard.CONDITIONS_STORE, TaskGuard.SWITCHES_STORE);
        // Logged and cached: what was summed but not yet sent survives a crash with its offsets, one
        // changelog record per scope and hour per commit.
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SpendBuffer.STORE),
                Serdes.String(), JsonStateSerde.of(SpendDelta.class)).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ScopeGuard.STATE_STORE),
                Serdes.String(), JsonStateSerde.of(ScopeState.class)).withCachingEnabled());
        conditionStores(builder, ScopeGuard.CONDITIONS_STORE, ScopeGuard.SWITCHES_STORE);
    }

    private static void conditionStores(StreamsBuilder builder, String conditions, String switches) {
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(conditions),
                Serdes.String(), JsonStateSerde.of(OpenCondition.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(switches),
                Serdes.String(), JsonStateSerde.of(SwitchState.class)));
    }
}
