package dev.costmeter.metering;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.correct.CorrectionTopology;
import dev.costmeter.metering.dedup.DeduplicateByEventId;
import dev.costmeter.metering.pricing.PriceUsage;
import dev.costmeter.metering.rollup.AggregateRollups;
import dev.costmeter.metering.rollup.Granularities;
import dev.costmeter.metering.rollup.PreAggregate;
import dev.costmeter.metering.rollup.RollupDelta;
import dev.costmeter.metering.rollup.RollupSerdes;
import dev.costmeter.metering.serde.InternalAvroSerde;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import dev.costmeter.metering.store.BackgroundWriteStore;
import dev.costmeter.metering.store.WriteBackStore;
import dev.costmeter.metering.taskclass.AggregateTaskClass;
import dev.costmeter.metering.tasks.ApplyOutcome;
import dev.costmeter.metering.tasks.TaskUsage;
import dev.costmeter.runtime.deadletter.DecodeOrDeadLetter;
import dev.costmeter.schemas.validation.RejectReason;
import dev.costmeter.schemas.validation.UsageValidator;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.Stores;

/**
 * The metering topology, built by a side-effect-free method from settings and serdes (tests use it
 * with {@code TopologyTestDriver}; the app runs it).
 *
 * <pre>
 * usage ─ validate ─┬─ rejected ─────────────────────────────────────────────▶ usage DLQ
 *                   └─ dedup (event_id) ─ price (global prices) ─┬─ rekey event_id ▶ ledger
 *                        (reads task totals)                     ├─ task totals ─┐  (remembers event_id)
 *                                                                └─ pre-aggregate ┴─▶ repartition "rollup-deltas"
 * outcomes ─ validate ─┬─ rejected ▶ usage DLQ                                        ─▶ minute/hour/day windows ▶ rollups
 *                      └─ apply to task totals ─▶ repartition "task-class-deltas" ─▶ task_class|day|model totals
 * </pre>
 *
 * Corrections of ledgered calls ({@link CorrectionTopology}) join on the same partitions and merge
 * their deltas into the two repartitions.
 *
 * <p>Usage and outcomes are keyed by task_id and co-partitioned, so deduplication, pricing and task
 * totals need no repartition. The only two repartitions carry pre-aggregated deltas, not calls.
 */
public final class MeteringTopology {

    public static final String DEDUP_STORE = "dedup-store";
    public static final String PRICES_STORE = "prices-store";
    public static final String TASK_STORE = "task-totals-store";
    public static final String ROLLUP_BUFFER_STORE = "rollup-buffer-store";
    public static final String TASK_CLASS_STORE = "task-class-store";
    public static final Map<Granularity, String> ROLLUP_STORES = Map.of(
            Granularity.MINUTE, "rollup-minute-store",
            Granularity.HOUR, "rollup-hour-store",
            Granularity.DAY, "rollup-day-store");
    public static final String ROLLUP_DELTAS_REPARTITION = "rollup-deltas";
    public static final String TASK_CLASS_DELTAS_REPARTITION = "task-class-deltas";

    private MeteringTopology() {
    }

    public static Topology build(MeteringSettings settings, MeteringSerdes serdes, MeteringMetrics metrics) {
        StreamsBuilder builder = new StreamsBuilder();
        Serde<TaskTotals> taskTotalsSerde = dev.costmeter.metering.serde.TaskTotalsSerde.create();
        Serde<TaskClassStats> taskClassSerde = InternalAvroSerde.of(TaskClassStats.class);
        addStores(builder, settings, taskTotalsSerde, taskClassSerde);

        builder.globalTable(settings.topics().prices(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("prices-source"),
                // In memory: the catalog is small, read on every call, and rebuilt from its compacted topic on start.
                // No record cache: it only adds a layer (a cache lookup) in front of a map to every read.
                Materialized.<String, byte[]>as(Stores.inMemoryKeyValueStore(PRICES_STORE))
                        .withKeySerde(Serdes.String()).withValueSerde(Serdes.ByteArray()).withCachingDisabled());

        UsageValidator validator = new UsageValidator(settings.maxTokensPerCall(), settings.maxFutureSkew());

        // Valid records leave stamped with their event time, so stream time follows event time.
        KStream<String, UsageEvent> usage = DecodeOrDeadLetter.stream(builder, "usage", settings.topics().usage(),
                settings.topics().usageDlq(), () -> new DecodeOrDeadLetter<UsageEvent>(serdes.usageDeserializer(),
                        rules(validator::check), e -> e.getEventTime().toEpochMilli(), rejections(metrics), settings.appName()));
        KStream<String, TaskOutcome> outcomes = DecodeOrDeadLetter.stream(builder, "outcome", settings.topics().taskOutcomes(),
                settings.topics().usageDlq(), () -> new DecodeOrDeadLetter<TaskOutcome>(serdes.outcomeDeserializer(),
                        rules(validator::check), o -> o.getEventTime().toEpochMilli(), rejections(metrics), settings.appName()));

        // Every call passes these nodes: plain processors, which pass a record on without copying it (a
        // fixed-key node copies it twice, a map node twice too). Both keep the key.
        KStream<String, PricedUsage> priced = usage
                .process(() -> new DeduplicateByEventId(DEDUP_STORE, TASK_STORE, settings.dedupHorizon(),
                        settings.dedupIdsPerTask(), metrics), Named.as("usage-dedup"), DEDUP_STORE, TASK_STORE)
                .process(() -> new PriceUsage(PRICES_STORE, settings.topics().prices(), serdes.priceDeserializer(), metrics),
                        Named.as("usage-price"));

        priced.process(KeyByEventId::new, Named.as("ledger-rekey"))
                .to(settings.topics().ledger(), Produced.with(Serdes.String(), serdes.pricedUsage()).withName("ledger-sink"));

        CorrectionTopology.Outputs corrections = CorrectionTopology.add(builder, new CorrectionTopology.Wiring(
                settings.topics().priceCorrections(), settings.topics().ledgerCorrections(), settings.topics().usageDlq(),
                settings.topics().prices(), PRICES_STORE, TASK_STORE, settings.taskRetention(), settings.appName(),
                serdes.correctionDeserializer(), serdes.ledgerCorrection(), serdes.priceDeserializer()), priced, metrics);

        KStream<String, TaskClassStats> usageDeltas = priced.process(
                () -> new TaskUsage(TASK_STORE, DEDUP_STORE, settings.taskRetention(), settings.dedupHorizon(),
                        settings.dedupIdsPerTask()),
                Named.as("task-usage"), TASK_STORE, DEDUP_STORE);
        KStream<String, TaskClassStats> outcomeDeltas = outcomes.process(() -> new ApplyOutcome(TASK_STORE),
                Named.as("task-outcome"), TASK_STORE);
        usageDeltas.merge(outcomeDeltas, Named.as("task-class-deltas-merge"))
                .merge(corrections.taskClassDeltas(), Named.as("task-class-corrections-merge"))
                .repartition(Repartitioned.with(Serdes.String(), taskClassSerde).withName(TASK_CLASS_DELTAS_REPARTITION))
                .process(() -> new AggregateTaskClass(TASK_CLASS_STORE), Named.as("task-class-aggregate"), TASK_CLASS_STORE);

        Map<Granularity, String> rollupStores = new EnumMap<>(ROLLUP_STORES);
        KStream<String, CostRollup> rollups = priced
                .process(() -> new PreAggregate(ROLLUP_BUFFER_STORE, settings.rollupFlushInterval(), settings.maxBufferedKeys()),
                        Named.as("rollup-preaggregate"), ROLLUP_BUFFER_STORE)
                .merge(corrections.rollupDeltas(), Named.as("rollup-corrections-merge"))
                .repartition(Repartitioned.with(Serdes.String(), RollupSerdes.deltas()).withName(ROLLUP_DELTAS_REPARTITION))
                .process(() -> new AggregateRollups(rollupStores, settings.grace(), metrics),
                        Named.as("rollup-aggregate"), rollupStores.values().toArray(String[]::new));
        rollups.to(settings.topics().rollups(), Produced.with(Serdes.String(), serdes.costRollup()).withName("rollups-sink"));

        return builder.build();
    }

    private static <T> DecodeOrDeadLetter.Rules<T> rules(ValidationRules<T> validator) {
        return (key, value, nowMs) -> validator.check(key, value, nowMs)
                .map(r -> new DecodeOrDeadLetter.Rejection(r.reason().tag(), r.detail()));
    }

    private static DecodeOrDeadLetter.RejectionListener rejections(MeteringMetrics metrics) {
        return (topic, reason) -> metrics.rejected(RejectReason.ofTag(reason));
    }

    /** One of {@link UsageValidator}'s checks. */
    @FunctionalInterface
    private interface ValidationRules<T> {
        java.util.Optional<dev.costmeter.schemas.validation.Rejection> check(String key, T value, long nowMs);
    }

    /** The ledger's key, event_id: one record copy per call. */
    private static final class KeyByEventId implements Processor<String, PricedUsage, String, PricedUsage> {
        private ProcessorContext<String, PricedUsage> context;

        @Override
        public void init(ProcessorContext<String, PricedUsage> context) {
            this.context = context;
        }

        @Override
        public void process(Record<String, PricedUsage> record) {
            context.forward(record.withKey(record.value().getEventId()));
        }
    }

    private static void addStores(StreamsBuilder builder, MeteringSettings settings, Serde<TaskTotals> taskTotalsSerde,
            Serde<TaskClassStats> taskClassSerde) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DEDUP_STORE), Serdes.String(), Serdes.Long()));
        // The stores written for every call cache objects, not bytes (see WriteBackStore); the task store
        // is written to RocksDB off the stream thread (see BackgroundWriteStore).
        builder.addStateStore(WriteBackStore.over(Stores.keyValueStoreBuilder(
                BackgroundWriteStore.over(Stores.persistentKeyValueStore(TASK_STORE)), Serdes.String(), taskTotalsSerde),
                settings.taskCacheEntries()));
        builder.addStateStore(WriteBackStore.over(Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(ROLLUP_BUFFER_STORE), Serdes.String(), RollupSerdes.deltas()), settings.maxBufferedKeys()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(TASK_CLASS_STORE), Serdes.String(), taskClassSerde).withCachingEnabled());
        Map<Granularity, Duration> retention = Map.of(Granularity.MINUTE, settings.minuteRetention(),
                Granularity.HOUR, settings.hourRetention(), Granularity.DAY, settings.dayRetention());
        ROLLUP_STORES.forEach((granularity, name) -> {
            Duration size = Duration.ofMillis(Granularities.sizeMs(granularity));
            builder.addStateStore(Stores.windowStoreBuilder(
                    Stores.persistentWindowStore(name, retention.get(granularity), size, false),
                    Serdes.String(), RollupSerdes.counters()).withCachingEnabled());
        });
    }
}
