package dev.costmeter.metering.pricing;

import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringMetrics;
import dev.costmeter.runtime.RetryLaterException;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices a call with the version of its model's price that was in force at the call's event time.
 * A model with no price in force is ledgered with {@code priced=false} and zero cost, and counted;
 * it is never dropped. A response-cache hit costs nothing and records what it would have cost as
 * savings.
 *
 * <p>Prices live in a global store of raw record bytes; a decoded {@link PriceBook} is kept per
 * model and decoded again only when the stored bytes change, so the hot path does one store
 * lookup and a byte comparison.
 *
 * <p>A call whose exact cost does not fit a long (an absurd price times a large token count)
 * throws {@link ArithmeticException} before anything is forwarded, so the app's processing-exception
 * handler dead-letters the usage event whole ({@code processing-error}) and no part of it is counted.
 * A price that cannot be decoded because the registry cannot answer is retried, never treated as no price.
 */
public final class PriceUsage implements FixedKeyProcessor<String, UsageEvent, PricedUsage> {

    private static final Logger log = LoggerFactory.getLogger(PriceUsage.class);

    private final String pricesStoreName;
    private final Deserializer<PriceEntry> priceDeserializer;
    private final String pricesTopic;
    private final MeteringMetrics metrics;
    private final Map<String, DecodedBook> books = new HashMap<>();
    private FixedKeyProcessorContext<String, PricedUsage> context;
    private TimestampedKeyValueStore<String, byte[]> prices;

    private record DecodedBook(byte[] raw, PriceBook book) {
    }

    public PriceUsage(String pricesStoreName, String pricesTopic, Deserializer<PriceEntry> priceDeserializer,
            MeteringMetrics metrics) {
        this.pricesStoreName = pricesStoreName;
        this.pricesTopic = pricesTopic;
        this.priceDeserializer = priceDeserializer;
        this.metrics = metrics;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PricedUsage> context) {
        this.context = context;
        this.prices = context.getStateStore(pricesStoreName);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        UsageEvent event = record.value();
        String model = event.getProvider() + "/" + event.getModel();
        Optional<Rates> rates = book(model).flatMap(book -> book.inForceAt(event.getEventTime()));
        Pricer.Tokens tokens = new Pricer.Tokens(event.getInputTokens(), event.getOutputTokens(),
                event.getCacheReadTokens(), event.getCacheWriteTokens());
        Cost cost = rates.map(r -> Pricer.price(r, tokens, event.getBatch())).orElse(Cost.UNPRICED);
        boolean cacheHit = event.getResponseCacheHit();
        Cost charged = cacheHit ? new Cost(0, 0, 0, 0, cost.longContext(), cost.priceVersion()) : cost;

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
        priced.setSavingsNanos(cacheHit ? cost.total() : 0L);
        priced.setPriced(rates.isPresent());
        priced.setPriceVersion(charged.priceVersion());
        priced.setLongContext(charged.longContext());
        priced.setProviderCostNanos(event.getProviderCostNanos());
        priced.setLabels(event.getLabels());
        priced.setPricedAt(java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()));
        if (rates.isEmpty()) {
            metrics.unpriced(model);
        }
        metrics.priced(event.getRoute(), model, priced.getCostNanos());
        context.forward(record.withValue(priced));
    }

    private Optional<PriceBook> book(String model) {
        ValueAndTimestamp<byte[]> stored = prices.get(model);
        if (stored == null || stored.value() == null) {
            books.remove(model);
            return Optional.empty();
        }
        DecodedBook cached = books.get(model);
        if (cached == null || !Arrays.equals(cached.raw(), stored.value())) {
            try {
                cached = new DecodedBook(stored.value(), PriceBook.of(priceDeserializer.deserialize(pricesTopic, stored.value())));
            } catch (RuntimeException e) {
                if (SchemaRegistryUnavailableException.isCause(e)) {
                    // Not the price's fault: pricing this call unpriced would be wrong, so retry it later.
                    throw new RetryLaterException("The price of " + model + " cannot be decoded while the schema registry"
                            + " cannot answer", e);
                }
                // A price that cannot be read prices nothing: its calls are ledgered unpriced and counted, never lost.
                log.error("Price record for {} on {} cannot be decoded; its calls stay unpriced until it is fixed: {}",
                        model, pricesTopic, e.toString());
                cached = new DecodedBook(stored.value(), null);
            }
            books.put(model, cached);
        }
        return Optional.ofNullable(cached.book());
    }
}
