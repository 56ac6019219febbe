package dev.costmeter.cli.kafka;

import dev.costmeter.cli.CostctlException;
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
import org.apache.avro.specific.SpecificRecord;
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
 * A compacted topic of Avro values keyed by a string (prices, budgets, switches). Reading takes the
 * whole topic from the beginning to the end offsets captured at the start, with a consumer that has
 * no group and so commits nothing. Writing uses an idempotent producer with {@code acks=all} and
 * {@link AvroSerializer}, which registers the schema under {@code <topic>-value} on first use.
 *
 * @param <V> the generated Avro class of the values
 */
public final class CompactedTopic<V extends SpecificRecord> {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Reading a whole topic or waiting for every acknowledgement takes several round trips of --timeout each. */
    private static final int ROUND_TRIPS = 6;

    private final KafkaConnection connection;
    private final String topic;
    private final Class<V> type;

    public CompactedTopic(KafkaConnection connection, String topic, Class<V> type) {
        this.connection = connection;
        this.topic = topic;
        this.type = type;
    }

    public String name() {
        return topic;
    }

    /** Every record on the topic, in offset order within each partition; a tombstone has a null value. */
    public List<ConsumerRecord<String, V>> readAll() {
        List<TopicPartition> partitions = partitions();
        List<ConsumerRecord<String, V>> all = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), deserializer())) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, connection.timeout());
            long deadline = System.nanoTime() + connection.timeout().toNanos() * ROUND_TRIPS;
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw CostctlException.failed("timed out reading topic " + topic + " to its end");
                }
                poll(consumer, all);
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreachableKafka(e);
        }
        return all;
    }

    /** The last value of every key, as compaction would leave it, sorted by key; tombstoned keys are absent. */
    public Map<String, V> latest() {
        Map<String, V> latest = new TreeMap<>();
        for (ConsumerRecord<String, V> record : readAll()) {
            if (record.value() == null) {
                latest.remove(record.key());
            } else {
                latest.put(record.key(), record.value());
            }
        }
        return latest;
    }

    /**
     * Writes {@code records} (key to value; a null value is a tombstone) and waits until every one is
     * acknowledged by all in-sync replicas.
     */
    public void publish(List<Map.Entry<String, V>> records) {
        if (records.isEmpty()) {
            return;
        }
        AvroSerializer<V> serializer = new AvroSerializer<>();
        serializer.configure(registryProps(), false);
        try (KafkaProducer<String, V> producer = new KafkaProducer<>(producerProps(), new StringSerializer(), serializer)) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (Map.Entry<String, V> record : records) {
                try {
                    sent.add(producer.send(new ProducerRecord<>(topic, record.getKey(), record.getValue())));
                } catch (org.apache.kafka.common.errors.SerializationException e) {
                    throw registryFailure("cannot serialize the record for " + record.getKey(), e);
                } catch (org.apache.kafka.common.errors.TimeoutException e) {
                    throw unreachableKafka(e);
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
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(connection.timeout().toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic);
            List<TopicPartition> partitions = new ArrayList<>();
            description.partitions().forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            return partitions;
        } catch (TimeoutException e) {
            throw unreachableKafka(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw CostctlException.failed("topic " + topic + " does not exist on Kafka at "
                        + connection.bootstrapServers() + " (./costmeter up creates costmeter's topics)");
            }
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachableKafka(e.getCause());
            }
            throw CostctlException.failed("cannot describe topic " + topic + ": " + e.getCause(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CostctlException.failed("interrupted", e);
        }
    }

    private void poll(KafkaConsumer<String, V> consumer, List<ConsumerRecord<String, V>> into) {
        try {
            consumer.poll(POLL).forEach(into::add);
        } catch (RecordDeserializationException e) {
            throw registryFailure("cannot decode the record at " + e.topicPartition() + " offset " + e.offset(), e);
        }
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
            future.get(connection.timeout().toMillis() * ROUND_TRIPS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw CostctlException.failed("writing to topic " + topic + " failed: " + e.getCause(), e);
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
                    return CostctlException.unreachable("schema registry", connection.schemaRegistryUrl(), registry.getCause());
                }
                return CostctlException.failed(what + ": the schema registry answered " + registry.getMessage(), e);
            }
        }
        return CostctlException.failed(what + ": " + e.getMessage(), e);
    }

    private CostctlException unreachableKafka(Throwable cause) {
        return CostctlException.unreachable("Kafka", connection.bootstrapServers(),
                "no broker answered within " + connection.timeout().toSeconds() + "s", cause);
    }

    private AvroDeserializer<V> deserializer() {
        AvroDeserializer<V> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(registryProps(), false);
        return deserializer;
    }

    private Map<String, Object> registryProps() {
        return KafkaProps.registry(connection);
    }

    private Map<String, Object> adminProps() {
        Map<String, Object> props = KafkaProps.common(connection);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connection.timeout().toMillis());
        return props;
    }

    private Map<String, Object> consumerProps() {
        // Switches come from exactly-once stream apps: only committed commands are in force.
        return KafkaProps.committedReader(connection);
    }

    private Map<String, Object> producerProps() {
        Map<String, Object> props = KafkaProps.common(connection);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, connection.timeout().toMillis());
        return props;
    }

    /** The client settings every costctl Kafka client shares. */
    public static final class KafkaProps {
        private KafkaProps() {
        }

        public static Map<String, Object> common(KafkaConnection connection) {
            Map<String, Object> props = new HashMap<>();
            props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
            props.put(CommonClientConfigs.CLIENT_ID_CONFIG, "costctl");
            props.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) connection.timeout().toMillis());
            // security.protocol, sasl.*, ssl.*: the same in every client, from costctl's configuration.
            props.putAll(connection.kafkaSecurity());
            return props;
        }

        /**
         * A consumer that reads a topic from its start, committed records only, and commits no
         * offsets of its own (costctl reads, it never joins as a member that resumes).
         */
        public static Map<String, Object> committedReader(KafkaConnection connection) {
            Map<String, Object> props = common(connection);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connection.timeout().toMillis());
            return props;
        }

        /** The settings of a schema registry client: its URL, timeout, and credentials and TLS when configured. */
        public static Map<String, Object> registry(KafkaConnection connection) {
            Map<String, Object> props = new HashMap<>(connection.registryClient());
            props.put(RegistryClientConfig.URL, connection.schemaRegistryUrl());
            props.put(RegistryClientConfig.REQUEST_TIMEOUT_MS, Long.toString(connection.timeout().toMillis()));
            return props;
        }
    }
}
