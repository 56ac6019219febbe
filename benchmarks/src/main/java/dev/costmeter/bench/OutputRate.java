package dev.costmeter.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The steady rate of a pipeline that writes one output record per event: it samples the end
 * offsets of the output topic (which move as records are written, before their transaction
 * commits) and reports the rate between the moments the output passed 10% and 90% of the events.
 * Start-up (group join, internal topic creation, state stores opening) and the final commit lie
 * outside that window, so the figure does not depend on how many events the run has.
 */
final class OutputRate implements AutoCloseable {

    private static final long SAMPLE_EVERY_MS = 50;

    private record Sample(long nanos, long records) {
    }

    private final Admin admin;
    private final Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "bench-output-rate");
        thread.setDaemon(true);
        return thread;
    });
    /** What the topic held before: earlier rounds may have written to it. */
    private final long before;
    private volatile Exception failure;

    /** Starts sampling {@code topic} (which has {@code partitionCount} partitions). */
    OutputRate(Admin admin, String topic, int partitionCount) throws Exception {
        this.admin = admin;
        for (int p = 0; p < partitionCount; p++) {
            partitions.put(new TopicPartition(topic, p), OffsetSpec.latest());
        }
        before = endOffsets();
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    private long endOffsets() throws Exception {
        return admin.listOffsets(partitions).all().get(10, TimeUnit.SECONDS).values().stream()
                .mapToLong(info -> info.offset()).sum();
    }

    private void sample() {
        try {
            long records = endOffsets() - before;
            synchronized (samples) {
                samples.add(new Sample(System.nanoTime(), records));
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    /**
     * Events per second between the output passing 10% and 90% of {@code events} (each time found
     * by linear interpolation between the two samples around it).
     */
    double steadyRate(int events) {
        if (failure != null) {
            throw new IllegalStateException("Sampling the output offsets failed", failure);
        }
        List<Sample> copy;
        synchronized (samples) {
            copy = new ArrayList<>(samples);
        }
        double from = timeWhen(copy, 0.1 * events);
        double to = timeWhen(copy, 0.9 * events);
        return 0.8 * events / ((to - from) / 1e9);
    }

    private static double timeWhen(List<Sample> samples, double records) {
        for (int i = 1; i < samples.size(); i++) {
            Sample before = samples.get(i - 1);
            Sample after = samples.get(i);
            if (after.records() >= records && before.records() < records) {
                double share = (records - before.records()) / (double) (after.records() - before.records());
                return before.nanos() + share * (after.nanos() - before.nanos());
            }
        }
        throw new IllegalStateException("The output never passed " + (long) records + " records");
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
