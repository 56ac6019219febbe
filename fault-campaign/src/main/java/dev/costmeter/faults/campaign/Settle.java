package dev.costmeter.faults.campaign;

import dev.costmeter.faults.check.PostgresLedger;
import dev.costmeter.faults.cluster.ConsumerLag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits until the pipeline has done all it will do: every consumer group of the cluster (the stream
 * apps, the Connect sinks) at lag 0 against the committed ends of what it reads, and the PostgreSQL
 * ledger no longer growing, continuously for a quiet period.
 */
final class Settle {

    private static final Logger log = LoggerFactory.getLogger(Settle.class);
    private static final Duration POLL = Duration.ofSeconds(1);

    private Settle() {
    }

    /** Returns how long settling took. */
    static Duration await(String bootstrapServers, PostgresLedger postgres, Duration quiet, Duration timeout)
            throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        long quietSince = -1;
        long lastRows = -1;
        String last = "";
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            ConsumerLag lag = new ConsumerLag(admin);
            while (System.nanoTime() < deadline) {
                String state;
                boolean settled;
                try {
                    List<String> busy = new ArrayList<>();
                    for (GroupListing group : admin.listGroups().all().get(10, TimeUnit.SECONDS)) {
                        long groupLag = lag.total(group.groupId());
                        if (groupLag > 0) {
                            busy.add(group.groupId() + "=" + groupLag);
                        }
                    }
                    long rows = postgres == null ? 0 : postgres.ledgerRows();
                    settled = busy.isEmpty() && rows == lastRows;
                    state = busy.isEmpty() ? "all groups at lag 0, PostgreSQL ledger " + rows + " rows" : "lag " + busy;
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
                    return Duration.ofNanos(System.nanoTime() - started);
                }
                Thread.sleep(POLL.toMillis());
            }
        }
        throw new IllegalStateException("The pipeline did not settle within " + timeout + "; last: " + last);
    }
}
