package dev.costmeter.faults.campaign;

import dev.costmeter.faults.check.PostgresLedger;
import dev.costmeter.faults.cluster.ConsumerLag;
import dev.costmeter.faults.cluster.PendingRecords;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the pipeline has done all it will do, continuously for a quiet period: the stream apps'
 * groups at lag 0 (they commit their position, past transaction markers), no committed record left
 * after the Connect sinks' committed offsets (a sink stays behind the end by the commit markers and
 * aborted records after its last record: see {@link PendingRecords}), and the PostgreSQL ledger no
 * longer growing.
 */
final class Settle {

    private static final Logger log = LoggerFactory.getLogger(Settle.class);
    private static final Duration POLL = Duration.ofSeconds(1);
    private static final String CONNECT_GROUP_PREFIX = "connect-";

    /** Whether it settled, how long it waited, and the last state seen. */
    record Result(boolean settled, Duration waited, String state) {
    }

    private Settle() {
    }

    static Result await(String bootstrapServers, PostgresLedger postgres, Duration quiet, Duration timeout)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long quietSince = -1;
        long lastRows = -1;
        String last = "";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConsumerLag lag = new ConsumerLag(admin);
            PendingRecords pending = new PendingRecords(bootstrapServers);
            while (System.nanoTime() < deadline) {
                String state;
                boolean settled;
                try {
                    List<String> busy = new ArrayList<>();
                    for (GroupListing group : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                        Map<TopicPartition, Long> lags = lag.perPartition(group.groupId());
                        long behind = group.groupId().startsWith(CONNECT_GROUP_PREFIX)
                                ? pending.after(behindOnly(lags, lag.committed(group.groupId(), null))) : total(lags);
                        if (behind > 0) {
                            busy.add(group.groupId() + "=" + behind);
                        }
                    }
                    long rows = postgres == null ? 0 : postgres.ledgerRows();
                    settled = busy.isEmpty() && rows == lastRows;
                    state = (busy.isEmpty() ? "every group caught up" : "lag " + busy) + ", PostgreSQL ledger " + rows + " rows";
                    lastRows = rows;
                } catch (Exception e) {
                    settled = false;
                    state = "not answering: " + e;
                }
                if (!state.equals(last)) {
                    log.info("Settling: {}", state);
                    last = state;
                }
                if (!settled) {
                    quietSince = -1;
                } else if (quietSince < 0) {
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince >= quiet.toNanos()) {
                    return new Result(true, Duration.ofNanos(System.nanoTime() - started), state);
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        log.warn("The pipeline did not settle within {}; checking anyway. Last: {}", timeout, last);
        return new Result(false, Duration.ofNanos(System.nanoTime() - started), last);
    }

    private static long total(Map<TopicPartition, Long> lags) {
        return lags.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The committed offsets of the partitions where the group is behind the end at all. */
    static Map<TopicPartition, Long> behindOnly(Map<TopicPartition, Long> lags, Map<TopicPartition, Long> committed) {
        Map<TopicPartition, Long> behind = new HashMap<>();
        lags.forEach((partition, partitionLag) -> {
            if (partitionLag > 0 && committed.containsKey(partition)) {
                behind.put(partition, committed.get(partition));
            }
        });
        return behind;
    }
}
