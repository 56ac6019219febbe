package dev.costmeter.runtime.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Whether the Kafka cluster answers, for readiness: a Kafka Streams client stays RUNNING while every
 * broker is down, so its state alone would call an instance that can do nothing "ready". Asks for
 * the cluster's nodes at most once per {@link #CACHE_FOR} and remembers the answer; the admin client
 * is created on first use from the app's own client settings (security included).
 */
final class BrokerProbe implements AutoCloseable {

    static final Duration CACHE_FOR = Duration.ofSeconds(5);
    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Map<String, Object> adminConfigs;
    private final LongSupplier clock;
    private Admin admin;
    private long checkedAtMs = Long.MIN_VALUE;
    private boolean reachable;

    BrokerProbe(Map<String, Object> adminConfigs, LongSupplier clock) {
        this.adminConfigs = adminConfigs;
        this.clock = clock;
    }

    synchronized boolean reachable() {
        long now = clock.getAsLong();
        if (checkedAtMs != Long.MIN_VALUE && now - checkedAtMs < CACHE_FOR.toMillis()) {
            return reachable;
        }
        reachable = ask();
        checkedAtMs = clock.getAsLong();
        return reachable;
    }

    private boolean ask() {
        try {
            if (admin == null) {
                admin = Admin.create(adminConfigs);
            }
            return !admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).isEmpty();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
    }
}
