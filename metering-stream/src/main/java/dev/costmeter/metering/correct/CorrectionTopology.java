package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.metering.MeteringMetrics;
import dev.costmeter.metering.rollup.RollupDelta;
import dev.costmeter.metering.serde.InternalAvroSerde;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.runtime.deadletter.DecodeOrDeadLetter;
import dev.costmeter.schemas.validation.RejectReason;
import java.time.Duration;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The corrections part of the metering topology:
 *
 * <pre>
 * priced calls ─ keep unpriced (unpriced-calls-store) ─ scan: a price arrived ─┐
 * price-corrections ─ validate ─┬─ rejected ▶ usage DLQ                         ├─ apply once (correction-ids-store,
 *                               └───────────────────────────────────────────────┘   task-totals-store)
 *      ─┬─ rekey event_id ▶ ledger-corrections (read by the ledger sink)
 *       ├─ rollup deltas ─▶ (merged before the "rollup-deltas" repartition)
 *       └─ task-class deltas ─▶ (merged before the "task-class-deltas" repartition)
 * </pre>
 *
 * Corrections are keyed by task_id and their topic has usage's partition count, so they are applied
 * on the partition that holds their task's totals, in the same transaction as their outputs.
 */
public final class CorrectionTopology {

    public static final String CORRECTION_IDS_STORE = "correction-ids-store";
    public static final String UNPRICED_CALLS_STORE = "unpriced-calls-store";

    private static final Logger LOG = LoggerFactory.getLogger(CorrectionTopology.class);

    /** What the rest of the topology merges in. */
    public record Outputs(KStream<String, RollupDelta> rollupDeltas, KStream<String, TaskClassStats> taskClassDeltas) {
    }

    /** How the corrections part reaches the app's topics, serdes and settings. */
    public record Wiring(String priceCorrectionsTopic, String ledgerCorrectionsTopic, String deadLetterTopic,
            String pricesTopic, String pricesStore, String taskStore, Duration taskRetention, String appName,
            Deserializer<LedgerCorrection> correctionDeserializer, Serde<LedgerCorrection> correctionSerde,
            Deserializer<PriceEntry> priceDeserializer) {
    }

    private CorrectionTopology() {
    }

    /** Adds the corrections' stores and nodes to {@code builder}. */
    public static Outputs add(StreamsBuilder builder, Wiring wiring, KStream<String, PricedUsage> priced,
            MeteringMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(CORRECTION_IDS_STORE), Serdes.String(), Serdes.Long()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(UNPRICED_CALLS_STORE), Serdes.String(),
                InternalAvroSerde.of(PricedUsage.class)));

        KStream<String, LedgerCorrection> priceArrived = priced.process(
                () -> new RepriceUnpriced(UNPRICED_CALLS_STORE, wiring.pricesStore(), wiring.pricesTopic(),
                        wiring.priceDeserializer(), wiring.taskRetention()),
                Named.as("correction-reprice-unpriced"), UNPRICED_CALLS_STORE);
        KStream<String, LedgerCorrection> requested = DecodeOrDeadLetter.stream(builder, "correction",
                wiring.priceCorrectionsTopic(), wiring.deadLetterTopic(),
                () -> new DecodeOrDeadLetter<LedgerCorrection>(wiring.correctionDeserializer(), new CorrectionRules(),
                        // Stamped with the corrected call's time, as the deltas it becomes: a correction
                        // never moves the rollups' stream time past the windows of the calls in flight.
                        c -> c.getEventTime().toEpochMilli(), (topic, reason) -> rejected(metrics, topic, reason), wiring.appName()));

        KStream<String, AppliedCorrection> applied = requested.merge(priceArrived, Named.as("correction-merge"))
                .process(() -> new ApplyCorrection(CORRECTION_IDS_STORE, wiring.taskStore()),
                        Named.as("correction-apply"), CORRECTION_IDS_STORE, wiring.taskStore());

        applied.map((taskId, a) -> KeyValue.pair(a.correction().getEventId(), a.correction()), Named.as("correction-ledger-rekey"))
                .to(wiring.ledgerCorrectionsTopic(), Produced.with(Serdes.String(), wiring.correctionSerde())
                        .withName("correction-ledger-sink"));
        KStream<String, RollupDelta> rollupDeltas = applied.flatMap(
                (taskId, a) -> CorrectionDeltas.of(a.correction()), Named.as("correction-rollup-deltas"));
        KStream<String, TaskClassStats> taskClassDeltas = applied
                .filter((taskId, a) -> a.taskClassDelta() != null, Named.as("correction-with-outcome"))
                .map((taskId, a) -> KeyValue.pair(a.taskClassDelta().getTaskClass(), a.taskClassDelta()),
                        Named.as("correction-task-class-deltas"));
        return new Outputs(rollupDeltas, taskClassDeltas);
    }

    private static void rejected(MeteringMetrics metrics, String topic, String reason) {
        if (CorrectionRules.INCONSISTENT_AMOUNTS.equals(reason)) {
            // Not one of the usage topics' reasons: the dead letter's header names it.
            LOG.warn("A correction on {} was dead-lettered: {}", topic, reason);
            return;
        }
        metrics.rejected(RejectReason.ofTag(reason));
    }
}
