package dev.costmeter.local.demo;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.topics.TopicNames;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Which routes and models have been billed each UTC day, read from metering's ledger (committed
 * records only): the demo view asks metering's query API for exactly these scopes, so its rows
 * follow the data (a DEGRADE's fallback model, a route of an earlier run today) instead of a fixed list.
 */
final class LedgerScopes implements AutoCloseable {

    /** Routes and models ({@code provider/model}, as metering's model dimension names them) billed on one day. */
    record Scopes(Set<String> routes, Set<String> models) {
    }

    private final KafkaConsumer<String, PricedUsage> ledger;
    private final Map<LocalDate, Scopes> byDay = new TreeMap<>();

    LedgerScopes(String bootstrapServers, String registryUrl, Map<String, String> kafkaSecurity) {
        AvroDeserializer<PricedUsage> deserializer = new AvroDeserializer<>(PricedUsage.class);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        Map<String, Object> props = new HashMap<>(kafkaSecurity);
        props.putAll(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        this.ledger = new KafkaConsumer<>(props, new StringDeserializer(), deserializer);
        String topic = TopicNames.defaults().ledger();
        List<TopicPartition> partitions = ledger.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        ledger.assign(partitions);
        ledger.seekToBeginning(partitions);
    }

    /** Reads what the ledger gained since the last call (until a poll comes back empty) and returns {@code day}'s scopes. */
    Scopes on(LocalDate day) {
        for (int polls = 0; polls < 50; polls++) {
            ConsumerRecords<String, PricedUsage> records = ledger.poll(Duration.ofMillis(polls == 0 ? 200 : 50));
            if (records.isEmpty()) {
                break;
            }
            for (ConsumerRecord<String, PricedUsage> record : records) {
                add(record.value());
            }
        }
        Scopes scopes = byDay.get(day);
        return scopes == null ? new Scopes(Set.of(), Set.of()) : new Scopes(Set.copyOf(scopes.routes()), Set.copyOf(scopes.models()));
    }

    private void add(PricedUsage call) {
        if (call == null || call.getEventTime() == null) {
            return;
        }
        LocalDate day = LocalDate.ofInstant(call.getEventTime(), ZoneOffset.UTC);
        Scopes scopes = byDay.computeIfAbsent(day, d -> new Scopes(new TreeSet<>(), new TreeSet<>()));
        if (call.getRoute() != null) {
            scopes.routes().add(call.getRoute());
        }
        scopes.models().add(call.getProvider() + "/" + call.getModel());
    }

    @Override
    public void close() {
        ledger.close();
    }
}
