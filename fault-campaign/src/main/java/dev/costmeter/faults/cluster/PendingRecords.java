package dev.costmeter.faults.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Whether committed records remain after a group's committed offsets. A sink commits the offset after
 * the last record it was handed, so on a transactional topic it stays behind the end by the commit
 * markers and aborted records that follow: lag alone cannot tell a sink that is done. A read_committed
 * reader placed at the committed offset can.
 */
public final class PendingRecords {

    private final String bootstrapServers;

    public PendingRecords(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** Committed records at or after {@code committed} on each partition, up to the current last stable offsets. */
    public long after(Map<TopicPartition, Long> committed) {
        if (committed.isEmpty()) {
            return 0;
        }
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "fault-campaign-pending-records");
        long pending = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.copyOf(committed.keySet());
            consumer.assign(partitions);
            committed.forEach(consumer::seek);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(10));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(10)) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read to the end of " + partitions);
                }
                pending += consumer.poll(Duration.ofMillis(200)).count();
            }
        }
        return pending;
    }
}
