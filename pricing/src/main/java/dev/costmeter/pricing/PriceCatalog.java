package dev.costmeter.pricing;

import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The prices in force, read from raw price records keyed {@code provider/model} (a stream app's
 * global store of the compacted {@code llm.prices.v1}). A decoded {@link PriceBook} is kept per
 * model and decoded again only when the stored bytes change, so a lookup is one store read and a
 * byte comparison.
 *
 * <p>A record that does not decode prices nothing (its calls stay unpriced, counted by the caller)
 * until it is fixed. A record that cannot be decoded because the schema registry cannot answer is
 * not remembered as bad: the {@link SchemaRegistryUnavailableException} reaches the caller, which
 * must retry the call later rather than price it as unpriced. Not thread-safe: one per processor.
 */
public final class PriceCatalog {

    private static final Logger log = LoggerFactory.getLogger(PriceCatalog.class);

    private final Function<String, byte[]> rawPrices;
    private final Deserializer<PriceEntry> deserializer;
    private final String topic;
    private final Map<String, Decoded> books = new HashMap<>();

    private record Decoded(byte[] raw, PriceBook book) {
    }

    /**
     * @param rawPrices    the raw price record of a {@code provider/model} key, or null
     * @param deserializer reads a raw record
     * @param topic        the price topic, for the deserializer and messages
     */
    public PriceCatalog(Function<String, byte[]> rawPrices, Deserializer<PriceEntry> deserializer, String topic) {
        this.rawPrices = rawPrices;
        this.deserializer = deserializer;
        this.topic = topic;
    }

    /** The key of a model's price record: {@code provider/model}. */
    public static String key(String provider, String model) {
        return provider + "/" + model;
    }

    /**
     * The rates of {@code provider/model} in force at {@code at}, if any.
     *
     * @throws SchemaRegistryUnavailableException when its record cannot be decoded now
     */
    public Optional<Rates> ratesAt(String modelKey, Instant at) {
        return book(modelKey).flatMap(book -> book.inForceAt(at));
    }

    private Optional<PriceBook> book(String modelKey) {
        byte[] raw = rawPrices.apply(modelKey);
        if (raw == null) {
            books.remove(modelKey);
            return Optional.empty();
        }
        Decoded cached = books.get(modelKey);
        if (cached == null || !Arrays.equals(cached.raw(), raw)) {
            cached = new Decoded(raw, decode(modelKey, raw));
            books.put(modelKey, cached);
        }
        return Optional.ofNullable(cached.book());
    }

    private PriceBook decode(String modelKey, byte[] raw) {
        try {
            return PriceBook.of(deserializer.deserialize(topic, raw));
        } catch (RuntimeException e) {
            if (SchemaRegistryUnavailableException.isCause(e)) {
                throw e;
            }
            log.error("Price record for {} on {} cannot be decoded; its calls stay unpriced until it is fixed: {}",
                    modelKey, topic, e.toString());
            return null;
        }
    }
}
