package dev.costmeter.cli.status;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.cli.kafka.KafkaConnection;
import dev.costmeter.cli.switches.SwitchBoard;
import dev.costmeter.contracts.ControlCommand;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterResult;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * The Kafka side of {@code costctl status}: the cluster itself, the consumer lag of each stream
 * app's group, and how many kill switches are in force.
 */
final class KafkaChecks implements AutoCloseable {

    private final KafkaConnection connection;
    private final Admin admin;
    private final long waitMillis;

    KafkaChecks(KafkaConnection connection) {
        this.connection = connection;
        Map<String, Object> props = CompactedTopic.KafkaProps.common(connection);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) connection.timeout().toMillis());
        this.admin = Admin.create(props);
        this.waitMillis = connection.timeout().toMillis();
    }

    /** describeCluster: the cluster id, how many brokers answer and which is the controller. */
    Check cluster() {
        try {
            DescribeClusterResult cluster = admin.describeCluster();
            String id = cluster.clusterId().get(waitMillis, TimeUnit.MILLISECONDS);
            int brokers = cluster.nodes().get(waitMillis, TimeUnit.MILLISECONDS).size();
            var controller = cluster.controller().get(waitMillis, TimeUnit.MILLISECONDS);
            return Check.ok("kafka", connection.bootstrapServers(), "cluster " + id + ", " + brokers + " broker(s), controller "
                    + (controller == null || controller.isEmpty() ? "unknown" : controller.id()));
        } catch (Exception e) {
            return Check.unhealthy("kafka", connection.bootstrapServers(), failure(e));
        }
    }

    /**
     * Lag of {@code group}: the sum over its committed partitions of the last stable offset (what a
     * read_committed consumer can reach) minus the committed offset. Unhealthy above {@code maxLag}
     * or when the group has committed nothing (never ran, or its offsets expired).
     */
    Check lag(String component, String group, long maxLag) {
        String address = "group " + group;
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(waitMillis, TimeUnit.MILLISECONDS);
            committed.values().removeIf(java.util.Objects::isNull);
            if (committed.isEmpty()) {
                return Check.unhealthy(component, address, "no committed offsets (the app never ran, or under another application.id)");
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            committed.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResultInfo> ends = admin.listOffsets(request,
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get(waitMillis, TimeUnit.MILLISECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> entry : committed.entrySet()) {
                lag += Math.max(0, ends.get(entry.getKey()).offset() - entry.getValue().offset());
            }
            String detail = "lag " + lag + " record(s) over " + committed.size() + " partition(s)";
            return lag <= maxLag ? Check.ok(component, address, detail)
                    : Check.unhealthy(component, address, detail + ", above --max-lag " + maxLag);
        } catch (Exception e) {
            return Check.unhealthy(component, address, failure(e));
        }
    }

    /** The switches in force on the control topic (latest per scope, not ALLOW, not expired). */
    Check activeSwitches(String topic, Instant now) {
        try {
            List<ControlCommand> active = SwitchBoard.of(new CompactedTopic<>(connection, topic, ControlCommand.class).readAll())
                    .inForce(now);
            return Check.ok("switches in force", "topic " + topic, Integer.toString(active.size()));
        } catch (CostctlException e) {
            return Check.unhealthy("switches in force", "topic " + topic, e.getMessage());
        }
    }

    private String failure(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof TimeoutException || cause instanceof org.apache.kafka.common.errors.TimeoutException) {
            return "not reachable (no broker answered within " + connection.timeout().toSeconds() + "s)";
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        admin.close(java.time.Duration.ofSeconds(1));
    }
}
