package dev.costmeter.bench;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Measures when a Kafka Streams app has processed everything: its committed offsets (which under
 * exactly-once commit atomically with its output) reach the end of every topic it reads, its own
 * repartition topics included.
 */
final class Progress {

    private final Admin admin;

    Progress(Admin admin) {
        this.admin = admin;
    }

    /** Blocks until the group has committed to the end of {@code topics} and of its repartition topics. */
    void awaitCaughtUp(String applicationId, Collection<String> inputTopics, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (lag(applicationId, inputTopics) == 0) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
        throw new IllegalStateException(applicationId + " did not catch up within " + timeout);
    }

    long lag(String applicationId, Collection<String> inputTopics) throws Exception {
        List<String> topics = new java.util.ArrayList<>(inputTopics);
        admin.listTopics().names().get(30, TimeUnit.SECONDS).stream()
                .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-repartition"))
                .forEach(topics::add);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).forEach((name, description) ->
                description.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long position = at == null ? 0 : at.offset();
            // Under exactly-once the end offset sits one past the last commit marker; a fully read
            // partition is committed up to the end or to the marker just before it.
            long remaining = end.getValue().offset() - position;
            if (remaining > 1) {
                lag += remaining;
            }
        }
        return lag;
    }
}
