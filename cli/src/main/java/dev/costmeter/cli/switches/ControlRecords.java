package dev.costmeter.cli.switches;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.cli.kafka.KafkaConnection;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the control topic as a service does: every partition from the beginning to the end offsets
 * seen at the start, committed records only, no group, and each value decoded on its own, so that a
 * record that does not decode is reported as such instead of stopping the read (anyone who can
 * write the topic can write garbage).
 */
final class ControlRecords {

    /**
     * One record of the topic.
     *
     * @param command     the decoded command; null for a tombstone or an undecodable value
     * @param undecodable why the value did not decode, or null
     */
    record ControlRecord(String key, ControlCommand command, String undecodable, int partition, long offset) {

        boolean tombstone() {
            return command == null && undecodable == null;
        }
    }

    private static final Duration POLL = Duration.ofMillis(200);
    private static final int ROUND_TRIPS = 6;

    private ControlRecords() {
    }

    static List<ControlRecord> read(KafkaConnection connection, String topic) {
        Map<String, Object> props = CompactedTopic.KafkaProps.common(connection);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connection.timeout().toMillis());
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        AvroDeserializer<ControlCommand> avro = new AvroDeserializer<>(ControlCommand.class);
        avro.configure(CompactedTopic.KafkaProps.registry(connection), false);
        List<ControlRecord> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, connection.timeout());
            if (infos == null || infos.isEmpty()) {
                throw CostctlException.failed("topic " + topic + " does not exist on Kafka at " + connection.bootstrapServers()
                        + " (./costmeter up creates costmeter's topics)");
            }
            List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, connection.timeout());
            long deadline = System.nanoTime() + connection.timeout().toNanos() * ROUND_TRIPS;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw CostctlException.failed("timed out reading topic " + topic + " to its end");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    records.add(decode(avro, topic, r));
                }
            }
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw CostctlException.unreachable("Kafka", connection.bootstrapServers(),
                    "no broker answered within " + connection.timeout().toSeconds() + "s", e);
        }
        return records;
    }

    private static ControlRecord decode(AvroDeserializer<ControlCommand> avro, String topic, ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            return new ControlRecord(r.key(), null, null, r.partition(), r.offset());
        }
        try {
            return new ControlRecord(r.key(), avro.deserialize(topic, r.headers(), r.value()), null, r.partition(), r.offset());
        } catch (RuntimeException e) {
            if (SchemaRegistryUnavailableException.isCause(e)) {
                // Not the record's fault: saying "undecodable" would misreport what services see.
                throw CostctlException.unreachable("schema registry", "the control topic's schemas", e);
            }
            return new ControlRecord(r.key(), null, String.valueOf(e.getMessage()), r.partition(), r.offset());
        }
    }
}
