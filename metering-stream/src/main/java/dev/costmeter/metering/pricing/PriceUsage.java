package dev.costmeter.metering.pricing;

import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringMetrics;
import dev.costmeter.pricing.CallCost;
import dev.costmeter.pricing.Cost;
import dev.costmeter.pricing.LeverSavings;
import dev.costmeter.pricing.ModelKeys;
import dev.costmeter.pricing.PriceCatalog;
import dev.costmeter.pricing.Rates;
import dev.costmeter.runtime.deadletter.RetryLaterException;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Prices a call with the version of its model's price that was in force at the call's event time.
 * A model with no price in force, or whose price lacks a rate the call needs (1-hour cache writes,
 * its service tier, a per-request fee), is ledgered with {@code priced=false}, zero cost and the
 * reason in {@code unpriced_reason}, and counted; it is never dropped. A response-cache hit costs nothing and records what it would have cost as
 * savings.
 *
 * <p>Prices live in a global store of raw record bytes, read through {@link PriceCatalog}; the
 * call is priced by {@link CallCost}, the one rule alerting-stream's spend caps apply too.
 *
 * <p>A call whose exact cost does not fit a long (an absurd price times a large token count)
 * throws {@link ArithmeticException}, and one whose counts contradict each other (more 1-hour cache
 * writes than cache writes, a negative request count) {@link IllegalArgumentException}, before
 * anything is forwarded, so the app's processing-exception
 * handler dead-letters the usage event whole ({@code processing-error}) and no part of it is counted.
 * A price that cannot be decoded because the registry cannot answer is retried, never treated as no price.
 *
 * <p>It keeps the key; it is a plain {@link Processor} because a {@code FixedKeyProcessor} node copies
 * every record twice more (see {@code DeduplicateByEventId}).
 */
public final class PriceUsage implements Processor<String, UsageEvent, String, PricedUsage> {

    private final String pricesStoreName;
    private final Deserializer<PriceEntry> priceDeserializer;
    private final String pricesTopic;
    private final MeteringMetrics metrics;
    private ProcessorContext<String, PricedUsage> context;
    private PriceCatalog catalog;
    private final ModelKeys modelKeys = new ModelKeys();

    public PriceUsage(String pricesStoreName, String pricesTopic, Deserializer<PriceEntry> priceDeserializer,
            MeteringMetrics metrics) {
        this.pricesStoreName = pricesStoreName;
        this.pricesTopic = pricesTopic;
        this.priceDeserializer = priceDeserializer;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, PricedUsage> context) {
        this.context = context;
        TimestampedKeyValueStore<String, byte[]> prices = context.getStateStore(pricesStoreName);
        this.catalog = new PriceCatalog(key -> {
            ValueAndTimestamp<byte[]> stored = prices.get(key);
            return stored == null ? null : stored.value();
        }, priceDeserializer, pricesTopic);
    }

    @Override
    public void process(Record<String, UsageEvent> record) {
        UsageEvent event = record.value();
        String model = modelKeys.of(event.getProvider(), event.getModel());
        Optional<Rates> rates;
        try {
            rates = catalog.ratesAt(model, event.getEventTime());
        } catch (SchemaRegistryUnavailableException e) {
            // Not the price's fault: pricing this call unpriced would be wrong, so retry it later.
            throw new RetryLaterException("The price of " + model + " cannot be decoded while the schema registry"
                    + " cannot answer", e);
        }
        CallCost callCost = CallCost.of(event, rates);
        Cost charged = callCost.charged();
        // Priced here, once per call, with the price in force: every reader of the ledger sums these.
        LeverSavings levers = LeverSavings.of(event, rates, callCost);
        boolean cacheHit = event.getResponseCacheHit();

        // Set field by field rather than through the generated builder, which copies the schema's field
        // array and validates every value on each call; the ledger test checks every field is set.
        PricedUsage priced = new PricedUsage();
        priced.setEventId(event.getEventId());
        priced.setEventTime(event.getEventTime());
        priced.setTenantId(event.getTenantId());
        priced.setTaskId(event.getTaskId());
        priced.setTaskClass(event.getTaskClass());
        priced.setRoute(event.getRoute());
        priced.setPromptVersion(event.getPromptVersion());
        priced.setEndUserId(event.getEndUserId());
        priced.setProvider(event.getProvider());
        priced.setModel(event.getModel());
        priced.setInputTokens(event.getInputTokens());
        priced.setOutputTokens(event.getOutputTokens());
        priced.setCacheReadTokens(event.getCacheReadTokens());
        priced.setCacheWriteTokens(event.getCacheWriteTokens());
        priced.setReasoningTokens(event.getReasoningTokens());
        priced.setBatch(event.getBatch());
        priced.setAttempt(event.getAttempt());
        priced.setStep(event.getStep());
        priced.setToolName(event.getToolName());
        priced.setStatus(event.getStatus());
        priced.setResponseCacheHit(cacheHit);
        priced.setCostNanos(charged.total());
        priced.setInputCostNanos(charged.input());
        priced.setOutputCostNanos(charged.output());
        priced.setCacheReadCostNanos(charged.cacheRead());
        priced.setCacheWriteCostNanos(charged.cacheWrite());
        priced.setSavingsNanos(callCost.savingsNanos());
        priced.setPriced(callCost.priced());
        priced.setPriceVersion(charged.priceVersion());
        priced.setLongContext(charged.longContext());
        priced.setProviderCostNanos(event.getProviderCostNanos());
        priced.setLabels(event.getLabels());
        priced.setPricedAt(java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()));
        priced.setCacheWrite1hTokens(event.getCacheWrite1hTokens());
        priced.setCacheWrite1hCostNanos(charged.cacheWrite1h());
        priced.setServiceTier(charged.serviceTier());
        priced.setRequestCounts(event.getRequestCounts());
        priced.setRequestFeesCostNanos(charged.requestFees());
        priced.setUnpricedReason(callCost.unpricedReason());
        priced.setCacheSavingsNanos(levers.cacheSavingsNanos());
        priced.setBatchSavingsNanos(levers.batchSavingsNanos());
        if (!callCost.priced()) {
            metrics.unpriced(model);
        }
        metrics.priced(event.getRoute(), model, priced.getCostNanos());
        context.forward(record.withValue(priced));
    }
}
