package dev.costmeter.alerting.spend;

import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.pricing.CallCost;
import dev.costmeter.pricing.PriceCatalog;
import dev.costmeter.runtime.deadletter.RetryLaterException;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Prices each usage event with the price in force at its event time, from the same compacted price
 * topic and with the same code as metering-stream ({@link PriceCatalog}, {@link CallCost}): the
 * spend caps see a call's cost a hop after its usage event. A call whose cost overflows a long
 * throws (metering dead-letters that event; here the processing-exception handler skips it).
 */
public final class PriceCalls implements FixedKeyProcessor<String, UsageEvent, PricedCall> {

    private final String pricesStoreName;
    private final String pricesTopic;
    private final Deserializer<PriceEntry> priceDeserializer;
    private FixedKeyProcessorContext<String, PricedCall> context;
    private PriceCatalog catalog;

    public PriceCalls(String pricesStoreName, String pricesTopic, Deserializer<PriceEntry> priceDeserializer) {
        this.pricesStoreName = pricesStoreName;
        this.pricesTopic = pricesTopic;
        this.priceDeserializer = priceDeserializer;
    }

    @Override
    public void init(FixedKeyProcessorContext<String, PricedCall> context) {
        this.context = context;
        TimestampedKeyValueStore<String, byte[]> prices = context.getStateStore(pricesStoreName);
        this.catalog = new PriceCatalog(key -> {
            ValueAndTimestamp<byte[]> stored = prices.get(key);
            return stored == null ? null : stored.value();
        }, priceDeserializer, pricesTopic);
    }

    @Override
    public void process(FixedKeyRecord<String, UsageEvent> record) {
        UsageEvent event = record.value();
        CallCost cost;
        try {
            cost = CallCost.of(event, catalog.ratesAt(PriceCatalog.key(event.getProvider(), event.getModel()),
                    event.getEventTime()));
        } catch (SchemaRegistryUnavailableException e) {
            throw new RetryLaterException("A price cannot be decoded while the schema registry cannot answer", e);
        }
        context.forward(record.withValue(new PricedCall(event, cost.costNanos(), cost.priced())));
    }
}
