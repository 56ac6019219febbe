package dev.costmeter.metering.rollup;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.metering.MeteringMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Adds each scope's per-minute deltas into its minute, hour and day windows and emits the window's
 * new totals. A delta whose window closed (window end plus grace is behind stream time) is not
 * added to that window and is counted; the calls stay in the ledger and the task totals.
 */
public final class AggregateRollups implements Processor<String, RollupDelta, String, CostRollup> {

    private final Map<Granularity, String> storeNames;
    private final long graceMs;
    private final MeteringMetrics metrics;
    private final Map<Granularity, WindowStore<String, Counters>> stores = new EnumMap<>(Granularity.class);
    private ProcessorContext<String, CostRollup> context;

    public AggregateRollups(Map<Granularity, String> storeNames, Duration grace, MeteringMetrics metrics) {
        this.storeNames = storeNames;
        this.graceMs = grace.toMillis();
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, CostRollup> context) {
        this.context = context;
        storeNames.forEach((granularity, name) -> stores.put(granularity, context.getStateStore(name)));
    }

    @Override
    public void process(Record<String, RollupDelta> record) {
        String scopeKey = record.key();
        int sep = scopeKey.indexOf('|');
        RollupDimension dimension = RollupDimension.valueOf(scopeKey.substring(0, sep));
        String scope = scopeKey.substring(sep + 1);
        long streamTime = context.currentStreamTimeMs();
        for (Map.Entry<Granularity, WindowStore<String, Counters>> entry : stores.entrySet()) {
            Granularity granularity = entry.getKey();
            long start = Granularities.windowStart(granularity, record.value().minuteStart());
            long end = start + Granularities.sizeMs(granularity);
            if (end + graceMs <= streamTime) {
                metrics.lateForRollup(granularity.name().toLowerCase(java.util.Locale.ROOT));
                continue;
            }
            WindowStore<String, Counters> store = entry.getValue();
            Counters total = store.fetch(scopeKey, start);
            if (total == null) {
                total = new Counters();
            }
            total.add(record.value().counters());
            store.put(scopeKey, total, start);
            context.forward(new Record<>(rollupKey(scopeKey, granularity, start),
                    toRollup(dimension, scope, granularity, start, end, total), record.timestamp()));
        }
    }

    /** Key of a rollup record: {@code DIMENSION|scope|GRANULARITY|window start (ISO-8601)}. */
    public static String rollupKey(String scopeKey, Granularity granularity, long windowStart) {
        return scopeKey + "|" + granularity.name() + "|" + Instant.ofEpochMilli(windowStart);
    }

    private CostRollup toRollup(RollupDimension dimension, String scope, Granularity granularity, long start, long end,
            Counters c) {
        return CostRollup.newBuilder()
                .setDimension(dimension).setScope(scope).setGranularity(granularity)
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(end))
                .setCalls(c.calls()).setRetries(c.retries()).setFailures(c.failures())
                .setResponseCacheHits(c.responseCacheHits()).setUnpricedCalls(c.unpricedCalls())
                .setInputTokens(c.inputTokens()).setOutputTokens(c.outputTokens())
                .setCacheReadTokens(c.cacheReadTokens()).setCacheWriteTokens(c.cacheWriteTokens())
                .setCostNanos(c.costNanos()).setInputCostNanos(c.inputCostNanos()).setOutputCostNanos(c.outputCostNanos())
                .setCacheReadCostNanos(c.cacheReadCostNanos()).setCacheWriteCostNanos(c.cacheWriteCostNanos())
                .setSavingsNanos(c.savingsNanos())
                .setUpdatedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
                .build();
    }
}
