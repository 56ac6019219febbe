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
 * The metering app's own meters, for operations, not for billing. Costs are summed exactly in
 * {@link LongAdder}s, but {@code costmeter_metering_cost_nanos_total} is an ESTIMATE of spend:
 * it moves when a call is priced, before its transaction commits (the call counters alike), so a call whose transaction
 * aborts (a crash, a fenced zombie, a rebalance mid-commit) and is priced again is counted twice,
 * and Prometheus reads it as a double, exact only up to 2^53 nano-USD (about $9.0 million) per
 * series and process lifetime. The exact figures are the ledger ({@code llm.ledger.v1} read
 * committed, the PostgreSQL {@code ledger} and its views) and the query API's {@code /v1/spend},
 * which read only committed state.
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
                    .description("Estimate of computed spend in nano-USD, by route and model: counted when priced, again if"
                            + " the transaction aborts and the call is priced again; exact spend: the ledger and /v1/spend")
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
