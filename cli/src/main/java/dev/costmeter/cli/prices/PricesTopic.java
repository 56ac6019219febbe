package dev.costmeter.cli.prices;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.SchemaRegistryException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Reads and writes the compacted prices topic. Reading takes the whole topic from the beginning to
 * the end offsets captured at the start, with a consumer that has no group and so commits nothing;
 * the last record of each key wins, as compaction would leave it.
 */
public final class PricesTopic {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Reading a whole topic or waiting for every acknowledgement takes several round trips of --timeout each. */
    private static final int ROUND_TRIPS = 6;

    private final KafkaSettings settings;

    public PricesTopic(KafkaSettings settings) {
        this.settings = settings;
    }

    /** The current history of every model on the topic, by {@code provider/model}, sorted by key. */
    public Map<String, PriceHistory> readAll() {
        List<TopicPartition> partitions = partitions();
        Map<String, PriceHistory> latest = new TreeMap<>();
        try (KafkaConsumer<String, PriceEntry> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(),
                deserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, settings.timeout());
            long deadline = System.nanoTime() + settings.timeout().toNanos() * ROUND_TRIPS;
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw CostctlException.failed("timed out reading topic " + settings.pricesTopic() + " to its end");
                }
                for (ConsumerRecord<String, PriceEntry> record : poll(consumer)) {
                    if (record.value() == null) {
                        latest.remove(record.key());
                    } else {
                        latest.put(record.key(), PriceHistory.of(record.value()));
                    }
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachableKafka(e);
        }
        return latest;
    }

    /** Writes {@code entries} keyed {@code provider/model} and waits until every one is acknowledged by all in-sync replicas. */
    public void publish(List<PriceEntry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        AvroSerializer<PriceEntry> serializer = new AvroSerializer<>();
        serializer.configure(registryProps(), false);
        try (KafkaProducer<String, PriceEntry> producer = new KafkaProducer<>(producerProps(), new StringSerializer(),
                serializer)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (PriceEntry entry : entries) {
                String key = entry.getProvider() + "/" + entry.getModel();
                try {
                    sent.add(producer.send(new ProducerRecord<>(settings.pricesTopic(), key, entry)));
                } catch (org.apache.kafka.common.errors.SerializationException e) {
                    throw registryFailure("cannot serialize the price of " + key, e);
                }
            }
            producer.flush();
            for (Future<RecordMetadata> future : sent) {
                awaitAck(future);
            }
        }
    }

    private List<TopicPartition> partitions() {
        try (Admin admin = Admin.create(adminProps())) {
            TopicDescription description = admin.describeTopics(List.of(settings.pricesTopic())).allTopicNames()
                    .get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .get(settings.pricesTopic());
            List<TopicPartition> partitions = new ArrayList<>();
            description.partitions().forEach(p -> partitions.add(new TopicPartition(settings.pricesTopic(), p.partition())));
            return partitions;
        } catch (TimeoutException e) {
            throw unreachableKafka(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw CostctlException.failed("topic " + settings.pricesTopic() + " does not exist on Kafka at "
                        + settings.bootstrapServers() + " (./costmeter up creates costmeter's topics)");
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachableKafka(e.getCause());
            }
            throw CostctlException.failed("cannot describe topic " + settings.pricesTopic() + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CostctlException.failed("interrupted", e);
        }
    }

    private List<ConsumerRecord<String, PriceEntry>> poll(KafkaConsumer<String, PriceEntry> consumer) {
        List<ConsumerRecord<String, PriceEntry>> records = new ArrayList<>();
        try {
            consumer.poll(POLL).forEach(records::add);
        } catch (RecordDeserializationException e) {
            throw registryFailure("cannot decode the record at " + e.topicPartition() + " offset " + e.offset(), e);
        }
        return records;
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
            if (consumer.position(partition.getKey()) < partition.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void awaitAck(Future<RecordMetadata> future) {
        try {
            future.get(settings.timeout().toMillis() * ROUND_TRIPS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw CostctlException.failed("writing to topic " + settings.pricesTopic() + " failed: " + e.getCause(), e);
        } catch (TimeoutException e) {
            throw unreachableKafka(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CostctlException.failed("interrupted", e);
        }
    }

    private CostctlException registryFailure(String what, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException registry) {
                if (registry.status() < 0) {
                    return CostctlException.unreachable("schema registry", settings.schemaRegistryUrl(), registry.getCause());
                }
                return CostctlException.failed(what + ": the schema registry answered " + registry.getMessage(), e);
            }
        }
        return CostctlException.failed(what + ": " + e.getMessage(), e);
    }

    private CostctlException unreachableKafka(Throwable cause) {
        return CostctlException.unreachable("Kafka", settings.bootstrapServers(),
                "no broker answered within " + settings.timeout().toSeconds() + "s", cause);
    }

    private AvroDeserializer<PriceEntry> deserializer() {
        AvroDeserializer<PriceEntry> deserializer = new AvroDeserializer<>(PriceEntry.class);
        deserializer.configure(registryProps(), false);
        return deserializer;
    }

    private Map<String, Object> registryProps() {
        return Map.of(RegistryClientConfig.URL, settings.schemaRegistryUrl(),
                RegistryClientConfig.REQUEST_TIMEOUT_MS, Long.toString(settings.timeout().toMillis()));
    }

    private Map<String, Object> adminProps() {
        Map<String, Object> props = common();
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.timeout().toMillis());
        return props;
    }

    private Map<String, Object> consumerProps() {
        Map<String, Object> props = common();
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) settings.timeout().toMillis());
        return props;
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> props = common();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.timeout().toMillis());
        return props;
    }

    private Map<String, Object> common() {
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
        props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "costctl");
        props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) settings.timeout().toMillis());
        return props;
    }
}
