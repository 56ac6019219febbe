package dev.costmeter.metering;

import dev.costmeter.schemas.validation.RejectReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The metering app's own meters. Costs are summed exactly in {@link LongAdder}s; Prometheus reads
 * them as counters of nano-USD.
 */
public final class MeteringMetrics {

    private final MeterRegistry registry;
    private final Map<RejectReason, Counter> rejected = new EnumMap<>(RejectReason.class);
    private final Counter deduplicated;
    private final Counter priced;
    private final Map<String, Counter> unpricedByModel = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> costByRouteAndModel = new ConcurrentHashMap<>();
    private final Map<String, Counter> lateByGranularity = new ConcurrentHashMap<>();

    public MeteringMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (RejectReason reason : RejectReason.values()) {
            rejected.put(reason, Counter.builder("costmeter.metering.rejected")
                    .description("Records sent to the dead-letter topic, by reason")
                    .tag("reason", reason.tag()).register(registry));
        }
        deduplicated = Counter.builder("costmeter.metering.deduplicated")
                .description("Usage events dropped as duplicates of an event_id already charged").register(registry);
        priced = Counter.builder("costmeter.metering.priced")
                .description("Usage events priced and ledgered (unpriced ones included)").register(registry);
    }

    public void rejected(RejectReason reason) {
        rejected.get(reason).increment();
    }

    public void deduplicated() {
        deduplicated.increment();
    }

    public void priced(String route, String model, long costNanos) {
        priced.increment();
        costByRouteAndModel.computeIfAbsent(route, r -> new ConcurrentHashMap<>()).computeIfAbsent(model, key -> {
            LongAdder adder = new LongAdder();
            FunctionCounter.builder("costmeter.metering.cost.nanos", adder, LongAdder::doubleValue)
                    .description("Computed spend in nano-USD, by route and model")
                    .tag("route", route).tag("model", model).register(registry);
            return adder;
        }).add(costNanos);
    }

    public void unpriced(String model) {
        unpricedByModel.computeIfAbsent(model, m -> Counter.builder("costmeter.metering.unpriced")
                .description("Calls to a model with no price in force; ledgered with priced=false")
                .tag("model", m).register(registry)).increment();
    }

    public void lateForRollup(String granularity) {
        lateByGranularity.computeIfAbsent(granularity, g -> Counter.builder("costmeter.metering.rollup.late")
                .description("Deltas too late for their rollup window (after grace); still in the ledger and task totals")
                .tag("granularity", g).register(registry)).increment();
    }
}
