package dev.costmeter.faults.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples metering's consumer-group offsets on the usage topic, and that topic's end offsets, every
 * {@code interval}, from its own thread. A sample that cannot be taken (the coordinator or a leader is
 * away during a fault) is skipped. Recovery times are read from these samples afterwards.
 */
public final class LagSampler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LagSampler.class);

    private final Admin admin;
    private final ConsumerLag lag;
    private final String group;
    private final String usageTopic;
    private final Duration interval;
    private final List<LagSample> samples = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    public LagSampler(String bootstrapServers, String group, String usageTopic, Duration interval) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "fault-campaign-lag-sampler",
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000));
        this.lag = new ConsumerLag(admin);
        this.group = group;
        this.usageTopic = usageTopic;
        this.interval = interval;
        this.thread = new Thread(this::loop, "lag-sampler");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** A sample taken now, on the caller's thread; empty when it cannot be taken. */
    public Optional<LagSample> sampleNow() {
        try {
            Map<TopicPartition, Long> committed = lag.committed(group, usageTopic);
            List<TopicPartition> partitions = admin.describeTopics(List.of(usageTopic)).allTopicNames()
                    .get(5, TimeUnit.SECONDS).get(usageTopic).partitions().stream()
                    .map(p -> new TopicPartition(usageTopic, p.partition())).toList();
            Map<TopicPartition, Long> ends = lag.ends(partitions);
            return Optional.of(new LagSample(System.currentTimeMillis(), byPartition(committed), byPartition(ends)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (Exception e) {
            log.debug("No lag sample: {}", e.toString());
            return Optional.empty();
        }
    }

    public synchronized List<LagSample> samples() {
        return List.copyOf(samples);
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            sampleNow().ifPresent(sample -> {
                synchronized (this) {
                    samples.add(sample);
                }
            });
            long left = interval.toNanos() - (System.nanoTime() - started);
            if (left > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(left);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
        Map<Integer, Long> byPartition = new HashMap<>();
        offsets.forEach((partition, offset) -> byPartition.put(partition.partition(), offset));
        return byPartition;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        admin.close(Duration.ofSeconds(5));
    }
}
