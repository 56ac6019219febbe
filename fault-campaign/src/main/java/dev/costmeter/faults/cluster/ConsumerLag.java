package dev.costmeter.faults.cluster;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/** A consumer group's committed offsets and the committed ends of the partitions it reads. */
public final class ConsumerLag {

    private static final long TIMEOUT_MS = 5_000;

    private final Admin admin;

    public ConsumerLag(Admin admin) {
        this.admin = admin;
    }

    /** The group's committed offsets, by partition (those of {@code topicPrefix}* only, or all when null). */
    public Map<TopicPartition, Long> committed(String groupId, String topicPrefix)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> committed = new HashMap<>();
        offsets.forEach((partition, offset) -> {
            if (offset != null && (topicPrefix == null || partition.topic().equals(topicPrefix))) {
                committed.put(partition, offset.offset());
            }
        });
        return committed;
    }

    /** The last stable offsets (what a read_committed reader can reach) of {@code partitions}. */
    public Map<TopicPartition, Long> ends(Iterable<TopicPartition> partitions)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> answer = admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        Map<TopicPartition, Long> ends = new HashMap<>();
        answer.forEach((partition, info) -> ends.put(partition, info.offset()));
        return ends;
    }

    /**
     * The group's total lag over every partition it has committed on (inputs, repartition topics);
     * -1 when it has committed nothing yet.
     */
    public long total(String groupId) throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> lags = perPartition(groupId);
        return lags.isEmpty() ? -1 : lags.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The group's lag on each partition it has committed on. */
    public Map<TopicPartition, Long> perPartition(String groupId)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<TopicPartition, Long> committed = committed(groupId, null);
        Map<TopicPartition, Long> lags = new HashMap<>();
        if (committed.isEmpty()) {
            return lags;
        }
        Map<TopicPartition, Long> ends = ends(committed.keySet());
        committed.forEach((partition, offset) -> lags.put(partition, Math.max(0, ends.getOrDefault(partition, 0L) - offset)));
        return lags;
    }
}
