package dev.costmeter.cli.prices;

import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.PriceEntry;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The compacted prices topic, keyed {@code provider/model}; the last record of each key wins. */
public final class PricesTopic {

    private final CompactedTopic<PriceEntry> topic;

    public PricesTopic(KafkaSettings settings) {
        this.topic = new CompactedTopic<>(settings.connection(), settings.pricesTopic(), PriceEntry.class);
    }

    /** The current history of every model on the topic, by {@code provider/model}, sorted by key. */
    public Map<String, PriceHistory> readAll() {
        Map<String, PriceHistory> histories = new TreeMap<>();
        topic.latest().forEach((key, entry) -> histories.put(key, PriceHistory.of(entry)));
        return histories;
    }

    /** Writes {@code entries} keyed {@code provider/model} and waits until every one is acknowledged by all in-sync replicas. */
    public void publish(List<PriceEntry> entries) {
        topic.publish(entries.stream()
                .<Map.Entry<String, PriceEntry>>map(e -> new AbstractMap.SimpleImmutableEntry<>(e.getProvider() + "/" + e.getModel(), e))
                .toList());
    }
}
