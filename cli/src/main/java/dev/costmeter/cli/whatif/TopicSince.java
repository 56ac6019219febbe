package dev.costmeter.cli.whatif;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.kafka.CompactedTopic.KafkaProps;
import dev.costmeter.cli.kafka.KafkaConnection;
import dev.costmeter.schemas.registry.SchemaRegistryException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The records of a topic from a time on: each partition is read from the first offset whose record
 * timestamp is at or after that time ({@code offsetsForTimes}) to the end offset taken at the start,
 * committed records only ({@code read_committed}: the ledger and its corrections are written in
 * transactions), by a consumer with no group that commits nothing. Reading only; nothing is written.
 *
 * @param <V> the generated Avro class of the values
 */
final class TopicSince<V extends SpecificRecord> {

    private static final Duration POLL = Duration.ofMillis(200);
    /** Reading to the end takes several round trips of --timeout each, as for the compacted topics. */
    private static final int ROUND_TRIPS = 6;

    private final KafkaConnection connection;
    private final String topic;
    private final Class<V> type;

    TopicSince(KafkaConnection connection, String topic, Class<V> type) {
        this.connection = connection;
        this.topic = topic;
        this.type = type;
    }

    /**
     * Hands every value (tombstones skipped) with a timestamp at or after {@code since} to {@code each}, in
     * offset order per partition.
     *
     * @return whether records of that time may be gone: on some partition retention has deleted the log's
     *     beginning and reading starts at what is left, so deleted records may have been as recent as {@code since}
     */
    boolean forEach(Instant since, Consumer<V> each) {
        AvroDeserializer<V> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(KafkaProps.registry(connection), false);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(consumerProps(), new StringDeserializer(), deserializer)) {
            List<TopicPartition> partitions = partitions(consumer);
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, connection.timeout());
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, connection.timeout());
            Map<TopicPartition, Long> query = new HashMap<>();
            partitions.forEach(p -> query.put(p, since.toEpochMilli()));
            Map<TopicPartition, OffsetAndTimestamp> start = consumer.offsetsForTimes(query, connection.timeout());
            boolean mayMissRecords = false;
            for (TopicPartition partition : partitions) {
                OffsetAndTimestamp offset = start.get(partition);
                // No record at or after the time: nothing to read on this partition.
                long from = offset == null ? end.get(partition) : offset.offset();
                consumer.seek(partition, from);
                mayMissRecords |= beginning.get(partition) > 0 && from == beginning.get(partition);
            }
            long deadline = System.nanoTime() + connection.timeout().toNanos() * ROUND_TRIPS;
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw CostctlException.failed("timed out reading topic " + topic + " to its end");
                }
                for (ConsumerRecord<String, V> record : poll(consumer)) {
                    if (record.value() != null) {
                        each.accept(record.value());
                    }
                }
            }
            return mayMissRecords;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw CostctlException.unreachable("Kafka", connection.bootstrapServers(),
                    "no broker answered within " + connection.timeout().toSeconds() + "s", e);
        }
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, V> consumer) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, connection.timeout());
        if (infos == null || infos.isEmpty()) {
            throw CostctlException.failed("topic " + topic + " does not exist on Kafka at " + connection.bootstrapServers()
                    + " (./costmeter up creates costmeter's topics)");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
        return partitions;
    }

    private Iterable<ConsumerRecord<String, V>> poll(KafkaConsumer<String, V> consumer) {
        try {
            return consumer.poll(POLL);
        } catch (RecordDeserializationException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof SchemaRegistryException registry && registry.status() < 0) {
                    throw CostctlException.unreachable("schema registry", connection.schemaRegistryUrl(), registry.getCause());
                }
            }
            throw CostctlException.failed("cannot decode the record at " + e.topicPartition() + " offset " + e.offset()
                    + " of topic " + topic + ": " + e.getMessage(), e);
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

    private Map<String, Object> consumerProps() {
        return KafkaProps.committedReader(connection);
    }
}
