package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.PriceCatalog;
import dev.costmeter.pricing.Rates;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic path of corrections: keeps every call ledgered unpriced in
 * {@code unpriced-calls-store} (keyed {@code provider/model SEP event_id}) and, every
 * {@link #SCAN_INTERVAL} of wall-clock time, looks each kept model up in the global prices store;
 * once a price is in force at a kept call's event time, it reprices the call with the shared rule
 * and forwards the correction (reason {@code price-arrived}) keyed by task_id, then forgets the call.
 *
 * <p>Why a scan and not a reaction to the price topic: the prices are a global table, which Kafka
 * Streams does not let a topology also read as a stream, and the kept calls belong to this
 * partition's tasks; a scan of a store that holds only unpriced calls (normally none) is cheap. A
 * call kept longer than {@code task.retention} is forgotten unpriced: its task's totals are gone
 * too, and {@code costctl prices correct} still corrects it from the ledger topic.
 */
public final class RepriceUnpriced implements Processor<String, PricedUsage, String, LedgerCorrection> {

    /** How often kept unpriced calls are checked against the prices. */
    public static final Duration SCAN_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(RepriceUnpriced.class);
    private static final char SEP = '\u001f';

    private final String unpricedStoreName;
    private final String pricesStoreName;
    private final String pricesTopic;
    private final Deserializer<PriceEntry> priceDeserializer;
    private final Duration retention;
    private ProcessorContext<String, LedgerCorrection> context;
    private KeyValueStore<String, PricedUsage> unpriced;
    private PriceCatalog catalog;

    public RepriceUnpriced(String unpricedStoreName, String pricesStoreName, String pricesTopic,
            Deserializer<PriceEntry> priceDeserializer, Duration retention) {
        this.unpricedStoreName = unpricedStoreName;
        this.pricesStoreName = pricesStoreName;
        this.pricesTopic = pricesTopic;
        this.priceDeserializer = priceDeserializer;
        this.retention = retention;
    }

    @Override
    public void init(ProcessorContext<String, LedgerCorrection> context) {
        this.context = context;
        this.unpriced = context.getStateStore(unpricedStoreName);
        TimestampedKeyValueStore<String, byte[]> prices = context.getStateStore(pricesStoreName);
        this.catalog = new PriceCatalog(key -> {
            ValueAndTimestamp<byte[]> stored = prices.get(key);
            return stored == null ? null : stored.value();
        }, priceDeserializer, pricesTopic);
        context.schedule(SCAN_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::scan);
    }

    @Override
    public void process(Record<String, PricedUsage> record) {
        PricedUsage call = record.value();
        if (!call.getPriced()) {
            unpriced.put(modelKey(call) + SEP + call.getEventId(), call);
        }
    }

    private void scan(long nowMs) {
        List<KeyValue<String, PricedUsage>> kept = new ArrayList<>();
        try (KeyValueIterator<String, PricedUsage> all = unpriced.all()) {
            all.forEachRemaining(kept::add);
        }
        if (kept.isEmpty()) {
            return;
        }
        long forgetBefore = nowMs - retention.toMillis();
        Instant issuedAt = Instant.ofEpochMilli(nowMs);
        int corrected = 0;
        for (KeyValue<String, PricedUsage> entry : kept) {
            PricedUsage call = entry.value;
            String model = modelKey(call);
            if (call.getEventTime().toEpochMilli() < forgetBefore) {
                unpriced.delete(entry.key);
                continue;
            }
            Optional<Rates> rates;
            try {
                rates = catalog.ratesAt(model, call.getEventTime());
            } catch (SchemaRegistryUnavailableException e) {
                // Not a missing price: the kept calls wait for the next scan.
                LOG.warn("Cannot read the price of {} while the schema registry cannot answer; {} unpriced calls wait"
                        + " for the next scan", model, kept.size());
                break;
            }
            if (rates.isEmpty()) {
                continue;
            }
            Optional<LedgerCorrection> correction = Reprice.correction(call, rates, Reprice.PRICE_ARRIVED, issuedAt);
            correction.ifPresent(c -> context.forward(new Record<>(call.getTaskId(), c, call.getEventTime().toEpochMilli())));
            unpriced.delete(entry.key);
            corrected++;
        }
        if (corrected > 0) {
            LOG.info("A price arrived for {} calls ledgered unpriced; corrections issued", corrected);
        }
    }

    private static String modelKey(PricedUsage call) {
        return PriceCatalog.key(call.getProvider(), call.getModel());
    }
}
