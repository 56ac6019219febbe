package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.metering.rollup.Counters;
import dev.costmeter.metering.rollup.Dimension;
import dev.costmeter.metering.rollup.RollupDelta;
import dev.costmeter.metering.rollup.RollupSerdes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;

/**
 * What a correction changes in the rollups: one delta per dimension of the corrected call, in the
 * call's own minute, carrying the cost differences and, when a price arrived for an unpriced call,
 * one unpriced call less. Calls and tokens do not change: the call was counted when it was ledgered.
 */
public final class CorrectionDeltas {

    private static final long MINUTE_MS = 60_000L;
    private static final int COUNTER_FIELDS = 15;
    private static final byte ROLLUP_FORMAT_V1 = 1;
    private static final Deserializer<Counters> COUNTERS = RollupSerdes.counters().deserializer();

    private CorrectionDeltas() {
    }

    /** The rollup deltas of {@code correction}, keyed by {@code DIMENSION|scope} as the pre-aggregation's. */
    public static List<KeyValue<String, RollupDelta>> of(LedgerCorrection correction) {
        long minute = Math.floorDiv(correction.getEventTime().toEpochMilli(), MINUTE_MS) * MINUTE_MS;
        List<KeyValue<String, RollupDelta>> deltas = new ArrayList<>(RollupDimension.values().length);
        for (RollupDimension dimension : RollupDimension.values()) {
            String scope = scopeOf(dimension, correction);
            if (scope != null) {
                deltas.add(KeyValue.pair(Dimension.key(dimension, scope), new RollupDelta(minute, counters(correction))));
            }
        }
        return deltas;
    }

    static String scopeOf(RollupDimension dimension, LedgerCorrection correction) {
        return switch (dimension) {
            case TENANT -> correction.getTenantId();
            case ROUTE -> correction.getRoute();
            case MODEL -> correction.getProvider() + "/" + correction.getModel();
            case TASK_CLASS -> correction.getTaskClass();
            case PROMPT_VERSION -> correction.getPromptVersion();
        };
    }

    /** How many unpriced calls the correction removes (or adds, when it makes a priced call unpriced). */
    static long unpricedChange(LedgerCorrection correction) {
        boolean pricedNow = correction.getNewPriceVersion() != null;
        if (correction.getWasPriced() == pricedNow) {
            return 0;
        }
        return pricedNow ? -1 : 1;
    }

    /**
     * The correction as rollup counters. {@link Counters} offers no public way to set a difference,
     * so they are read from the rollup format (a format byte, then its fifteen longs in order), which
     * is the persisted format of the rollup stores and cannot change without a migration;
     * {@code CorrectionsTest} reads the costs and unpriced calls back from the rollups. A public factory on {@code Counters} would
     * say this more directly.
     */
    static Counters counters(LedgerCorrection c) {
        ByteBuffer buffer = ByteBuffer.allocate(1 + COUNTER_FIELDS * Long.BYTES).put(ROLLUP_FORMAT_V1);
        buffer.putLong(0L)                               // calls
                .putLong(0L)                             // retries
                .putLong(0L)                             // failures
                .putLong(0L)                             // response cache hits
                .putLong(unpricedChange(c))              // unpriced calls
                .putLong(0L).putLong(0L).putLong(0L).putLong(0L) // input, output, cache read, cache write tokens
                .putLong(c.getCostDeltaNanos())
                .putLong(c.getInputCostDeltaNanos())
                .putLong(c.getOutputCostDeltaNanos())
                .putLong(c.getCacheReadCostDeltaNanos())
                .putLong(c.getCacheWriteCostDeltaNanos())
                .putLong(c.getSavingsDeltaNanos());
        return COUNTERS.deserialize(null, buffer.array());
    }
}
