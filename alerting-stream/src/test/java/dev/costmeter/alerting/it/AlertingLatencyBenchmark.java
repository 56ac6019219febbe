package dev.costmeter.alerting.it;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Latency benchmark, not a test (no timing assertion; its name matches neither surefire nor failsafe
 * patterns). Under a sustained background load of usage events, probe tasks repeat a tool call K
 * times; the latency is from the produce of the K-th (breaching) call to its BLOCK command being
 * readable by a read_committed consumer of llm.control.v1. Run:
 *
 * <pre>
 * ./mvnw -o -pl alerting-stream verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=AlertingLatencyBenchmark [-Dbench.rate=5000] [-Dbench.seconds=40] \
 *     [-Dbench.commit.interval.ms=100] [-Dbench.guarantee=exactly_once_v2] [-Dbench.task.state.changelog=false]
 * </pre>
 *
 * Figures are printed and written to {@code target/alerting-latency.txt}.
 */
class AlertingLatencyBenchmark {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    static final int K = 3;

    @Test
    void measureBreachToKillSwitchLatency() throws Exception {
        int rate = Integer.getInteger("bench.rate", 5_000);
        int seconds = Integer.getInteger("bench.seconds", 40);
        String commitMs = System.getProperty("bench.commit.interval.ms", "100");
        String guarantee = System.getProperty("bench.guarantee", "exactly_once_v2");
        try (AlertingStack stack = new AlertingStack(KAFKA.cluster(), 2, Map.of(
                "loop.repeat.limit", Integer.toString(K), "rate.calls.per.minute", "1000",
                "commit.interval.ms", commitMs, "processing.guarantee", guarantee,
                "num.stream.threads", System.getProperty("bench.threads", "1"),
                "task.state.changelog", System.getProperty("bench.task.state.changelog", "false")));
                KafkaProducer<String, UsageEvent> load = stack.producer();
                KafkaProducer<String, UsageEvent> probes = stack.producer();
                KafkaConsumer<String, ControlCommand> control = stack.consumer(ControlCommand.class, stack.topic("control"))) {
            Map<String, Long> sentAt = new ConcurrentHashMap<>();
            List<Long> latenciesMs = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong loadSent = new AtomicLong();
            Thread background = new Thread(() -> backgroundLoad(stack, load, rate, running, loadSent), "bench-load");
            Thread reader = new Thread(() -> {
                while (running.get() || latenciesMs.size() < sentAt.size()) {
                    for (ConsumerRecord<String, ControlCommand> r : control.poll(Duration.ofMillis(50))) {
                        Long t0 = sentAt.get(r.key());
                        if (t0 != null && r.value().getAction().name().equals("BLOCK")) {
                            latenciesMs.add((System.nanoTime() - t0) / 1_000_000);
                        }
                    }
                    if (!running.get() && System.nanoTime() > stopReadingAt) {
                        break;
                    }
                }
            }, "bench-reader");
            // broker transit of the timed call alone (produce -> readable on usage), as a baseline for the
            // machine: what the app adds is the difference
            List<Long> transitMs = Collections.synchronizedList(new ArrayList<>());
            Thread transit = new Thread(() -> {
                try (KafkaConsumer<String, byte[]> usage = new KafkaConsumer<>(
                        stack.cluster.consumerProps(stack.cluster.uniqueName("transit")),
                        new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                    usage.subscribe(List.of(stack.topic("usage")));
                    while (running.get()) {
                        for (ConsumerRecord<String, byte[]> r : usage.poll(Duration.ofMillis(50))) {
                            if (r.headers().lastHeader("bench-timed") != null) {
                                Long t0 = sentAt.get("task:" + r.key());
                                if (t0 != null) {
                                    transitMs.add((System.nanoTime() - t0) / 1_000_000);
                                }
                            }
                        }
                    }
                }
            }, "bench-transit");
            control.poll(Duration.ofMillis(500)); // join the group before probing
            background.start();
            reader.start();
            transit.start();
            long warmupEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < warmupEnd) {
                Thread.sleep(100); // benchmark pacing, not a test wait
            }
            long loadStartCount = loadSent.get();
            long measureStart = System.nanoTime();
            long end = measureStart + Duration.ofSeconds(seconds).toNanos();
            int probe = 0;
            while (System.nanoTime() < end) {
                String task = "probe-" + probe++;
                RecordMetadata lastPriming = null;
                for (int i = 1; i < K; i++) {
                    lastPriming = probes.send(new ProducerRecord<>(stack.topic("usage"), task, call(task, i, "probe-args")))
                            .get();
                }
                awaitProcessed(stack, lastPriming); // the K-th call is the timed one
                sentAt.put("task:" + task, System.nanoTime());
                ProducerRecord<String, UsageEvent> timed = new ProducerRecord<>(stack.topic("usage"), task,
                        call(task, K, "probe-args"));
                timed.headers().add("bench-timed", new byte[] {1});
                probes.send(timed);
                probes.flush();
                Thread.sleep(150);
            }
            double loadRate = (loadSent.get() - loadStartCount) / ((System.nanoTime() - measureStart) / 1e9);
            running.set(false);
            stopReadingAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            background.join();
            reader.join();
            transit.join();
            report(latenciesMs, transitMs, probe, loadRate, rate, commitMs, guarantee);
        }
    }

    /** Waits until alerting has committed past {@code record}, so it has processed it. */
    private static void awaitProcessed(AlertingStack stack, RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() -> {
            OffsetAndMetadata committed = KAFKA.cluster().admin().listConsumerGroupOffsets(stack.applicationId())
                    .partitionsToOffsetAndMetadata().get().get(partition);
            return committed != null && committed.offset() > record.offset();
        });
    }

    private static volatile long stopReadingAt = Long.MAX_VALUE;

    private static void backgroundLoad(AlertingStack stack, KafkaProducer<String, UsageEvent> load, int rate,
            AtomicBoolean running, AtomicLong sent) {
        long start = System.nanoTime();
        long n = 0;
        while (running.get()) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            while (n < due) {
                String task = "bg-" + (n % 20_000);
                load.send(new ProducerRecord<>(stack.topic("usage"), task, call(task, (int) (n / 20_000), "args-" + n)));
                n++;
            }
            sent.set(n);
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static UsageEvent call(String task, int step, String args) {
        return UsageEvent.newBuilder().setEventId(task + "-" + step + "-" + args).setEventTime(Instant.now())
                .setTenantId("bench").setTaskId(task).setTaskClass("agent").setRoute("chat").setProvider("openai")
                .setModel("gpt-4o").setInputTokens(1_000).setOutputTokens(100).setToolName("search")
                .setToolArgsHash(args).setStep(step).setStatus(CallStatus.OK).build();
    }

    private static void report(List<Long> latencies, List<Long> transit, int probes, double loadRate, int targetRate, String commitMs,
            String guarantee) throws IOException {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        String text = sorted.isEmpty() ? "no probe was blocked" : String.format(
                "alerting-stream breach -> kill switch latency (%s, commit.interval.ms=%s, task.state.changelog=%s, 2 partitions, %s stream threads)%n"
                        + "background load: %.0f events/s achieved (target %d)%n"
                        + "probes: %d sent, %d blocked%n"
                        + "breach -> command readable: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n"
                        + "baseline, breaching call -> readable on usage: p50 %d ms, p99 %d ms%n",
                guarantee, commitMs, System.getProperty("bench.task.state.changelog", "false"),
                System.getProperty("bench.threads", "1"), loadRate, targetRate, probes, sorted.size(), pct(sorted, 50), pct(sorted, 90),
                pct(sorted, 99), sorted.get(sorted.size() - 1), pct(sortedCopy(transit), 50),
                pct(sortedCopy(transit), 99));
        System.out.println(text);
        Files.writeString(Path.of("target", "alerting-latency-" + guarantee + "-" + commitMs + ".txt"), text);
    }

    private static List<Long> sortedCopy(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.isEmpty() ? List.of(-1L) : sorted;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
