package dev.costmeter.alerting.it;

import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.PriceEntry;
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
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Spend-cap benchmark, not a test (no assertion on time; its name matches neither surefire nor
 * failsafe patterns). Under a sustained background load of usage events, capped tenants, each with a
 * $5 DAY cap, are driven over it one after another: one large call takes a tenant to 90% (and its
 * 50% and 70% warnings), then calls of $0.006 at a fixed rate (20 and 200 calls/s by default) cross
 * 100% and keep coming, as from a service without a kill switch, until the BLOCK of the tenant is
 * readable by a read_committed consumer of llm.control.v1.
 * Per crossing it records the latency from the produce of the call that takes spend to 100% to the
 * BLOCK being readable, and the overshoot: calls made past the crossing one, and the spend at the
 * BLOCK as a share of the cap. Run:
 *
 * <pre>
 * ./mvnw -o -pl alerting-stream -am verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=CapLatencyBenchmark -Dfailsafe.failIfNoSpecifiedTests=false \
 *     [-Dbench.rate=5000] [-Dbench.crossings.slow=50] [-Dbench.crossings.fast=60] [-Dbench.partitions=6] \
 *     [-Dbench.commit.interval.ms=...] [-Dbench.cap.flush.interval=...] [-Dbench.poll.ms=...]
 * </pre>
 *
 * Figures are printed and written to {@code target/cap-latency.txt}.
 */
class CapLatencyBenchmark {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    /** The capped tenants' DAY cap: $5. */
    static final long CAP_NANOS = 5_000_000_000L;
    /** Each paced call: 1,000 input tokens at $6 per million tokens, $0.006. */
    static final long CALL_NANOS = 6_000_000L;
    static final long INPUT_NANOS_PER_MTOK = 6_000_000_000L;
    /** The first call: 750,000 input tokens, $4.50, 90% of the cap. */
    static final long FIRST_CALL_TOKENS = 750_000L;
    static final long FIRST_CALL_NANOS = 4_500_000_000L;
    /** Paced calls until spend reaches the cap: 84 ($4.50 + 84 x $0.006 = $5.004). */
    static final int PACED_TO_CAP = (int) ((CAP_NANOS - FIRST_CALL_NANOS + CALL_NANOS - 1) / CALL_NANOS);

    @Test
    void measureCapCrossingToBlockLatencyAndOvershoot() throws Exception {
        int rate = Integer.getInteger("bench.rate", 5_000);
        int slow = Integer.getInteger("bench.crossings.slow", 50);
        int fast = Integer.getInteger("bench.crossings.fast", 60);
        int partitions = Integer.getInteger("bench.partitions", 6);
        Map<String, String> overrides = new java.util.HashMap<>(Map.of("rate.calls.per.minute", "100000",
                "loop.repeat.limit", "1000"));
        for (String key : List.of("commit.interval.ms", "cap.flush.interval", "poll.ms", "task.state.changelog")) {
            String value = System.getProperty("bench." + key);
            if (value != null) {
                overrides.put(key, value);
            }
        }
        try (AlertingStack stack = new AlertingStack(KAFKA.cluster(), partitions, overrides);
                KafkaProducer<String, UsageEvent> load = stack.producer();
                KafkaProducer<String, UsageEvent> capped = stack.producer();
                KafkaProducer<String, PriceEntry> prices = stack.producer();
                KafkaProducer<String, BudgetPolicy> budgets = stack.producer();
                KafkaConsumer<String, ControlCommand> control = stack.consumer(ControlCommand.class, stack.topic("control"))) {
            Instant now = Instant.now();
            prices.send(new ProducerRecord<>(stack.topic("prices"), "openai/gpt-4o", PriceEntry.newBuilder()
                    .setProvider("openai").setModel("gpt-4o").setEffectiveFrom(now.minus(Duration.ofDays(1)))
                    .setInputNanosPerMtok(INPUT_NANOS_PER_MTOK).setOutputNanosPerMtok(0)
                    .setPriceVersion("bench").build())).get();
            List<Run> runs = new ArrayList<>();
            for (int i = 0; i < slow; i++) {
                runs.add(new Run("cap-slow-" + i, 20));
            }
            for (int i = 0; i < fast; i++) {
                runs.add(new Run("cap-fast-" + i, 200));
            }
            for (Run run : runs) {
                budgets.send(new ProducerRecord<>(stack.topic("budgets"), "tenant:" + run.tenant, BudgetPolicy.newBuilder()
                        .setScope("tenant:" + run.tenant).setUpdatedAt(now)
                        .setLimits(List.of(new PeriodLimit(BudgetPeriod.DAY, CAP_NANOS)))
                        .setAction(BudgetAction.BLOCK).build()));
            }
            budgets.flush();

            Map<String, Long> blockedAt = new ConcurrentHashMap<>();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicLong loadSent = new AtomicLong();
            Thread background = new Thread(() -> backgroundLoad(stack, load, rate, running, loadSent), "bench-load");
            Thread reader = new Thread(() -> {
                while (running.get()) {
                    for (ConsumerRecord<String, ControlCommand> r : control.poll(Duration.ofMillis(20))) {
                        if (r.value().getAction().name().equals("BLOCK")) {
                            blockedAt.putIfAbsent(r.key(), System.nanoTime());
                        }
                    }
                }
            }, "bench-reader");
            control.poll(Duration.ofMillis(500)); // join before measuring
            reader.start();
            background.start();
            Thread.sleep(10_000); // warm-up under load; benchmark pacing, not a test wait
            awaitCaughtUp(stack); // and alerting keeps up with it before anything is measured
            long loadStart = loadSent.get();
            long measureStart = System.nanoTime();
            for (Run run : runs) {
                drive(stack, capped, run, blockedAt);
            }
            double loadRate = (loadSent.get() - loadStart) / ((System.nanoTime() - measureStart) / 1e9);
            running.set(false);
            background.join();
            reader.join();
            report(runs, loadRate, rate, partitions);
        }
    }

    /** Waits until alerting's committed offsets on the usage topic are within a second of load of the end. */
    private static void awaitCaughtUp(AlertingStack stack) {
        org.awaitility.Awaitility.await("alerting caught up with the background load").atMost(Duration.ofMinutes(3))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    var admin = KAFKA.cluster().admin();
                    var committed = admin.listConsumerGroupOffsets(stack.applicationId()).partitionsToOffsetAndMetadata().get();
                    var partitions = committed.keySet().stream().filter(tp -> tp.topic().equals(stack.topic("usage"))).toList();
                    if (partitions.isEmpty()) {
                        return false;
                    }
                    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new java.util.HashMap<>();
                    partitions.forEach(tp -> latest.put(tp, org.apache.kafka.clients.admin.OffsetSpec.latest()));
                    long lag = 0;
                    for (var entry : admin.listOffsets(latest).all().get().entrySet()) {
                        lag += entry.getValue().offset() - committed.get(entry.getKey()).offset();
                    }
                    return lag < 5_000;
                });
    }

    /** One capped tenant driven over its cap at a fixed call rate until its BLOCK is readable. */
    static final class Run {
        final String tenant;
        final int callsPerSecond;
        long crossingSentNanos;
        long blockedNanos = -1;
        int callsSent;

        Run(String tenant, int callsPerSecond) {
            this.tenant = tenant;
            this.callsPerSecond = callsPerSecond;
        }

        long latencyMs() {
            return (blockedNanos - crossingSentNanos) / 1_000_000;
        }

        /** Spend when the BLOCK was read, nano-USD. */
        long spendNanos() {
            return FIRST_CALL_NANOS + callsSent * CALL_NANOS;
        }

        /** Spend when the BLOCK was read, as basis points of the cap. */
        long spendBps() {
            return spendNanos() * 10_000L / CAP_NANOS;
        }
    }

    private static void drive(AlertingStack stack, KafkaProducer<String, UsageEvent> producer, Run run,
            Map<String, Long> blockedAt) throws InterruptedException {
        producer.send(new ProducerRecord<>(stack.topic("usage"), run.tenant + "-task-0", call(run, "first", 0,
                FIRST_CALL_TOKENS)));
        producer.flush();
        Thread.sleep(1_000); // let the 90% reach the scope state; pacing, not a test wait
        long intervalNanos = 1_000_000_000L / run.callsPerSecond;
        long start = System.nanoTime();
        long giveUp = start + Duration.ofSeconds(60).toNanos();
        String scope = "tenant:" + run.tenant;
        while (System.nanoTime() < giveUp) {
            Long blocked = blockedAt.get(scope);
            if (blocked != null) {
                run.blockedNanos = blocked;
                return;
            }
            long due = start + run.callsSent * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // pacing the calls, not a test wait
                continue;
            }
            int n = ++run.callsSent;
            producer.send(new ProducerRecord<>(stack.topic("usage"), run.tenant + "-task-" + (n % 5),
                    call(run, Integer.toString(n), n % 5, 1_000)));
            if (n == PACED_TO_CAP) {
                run.crossingSentNanos = System.nanoTime();
            }
            producer.flush();
        }
    }

    private static UsageEvent call(Run run, String id, int task, long inputTokens) {
        return UsageEvent.newBuilder().setEventId(run.tenant + "-" + id).setEventTime(Instant.now())
                .setTenantId(run.tenant).setTaskId(run.tenant + "-task-" + task).setTaskClass("agent").setRoute("capped")
                .setProvider("openai").setModel("gpt-4o").setInputTokens(inputTokens).setOutputTokens(0)
                .setStatus(CallStatus.OK).build();
    }

    private static void backgroundLoad(AlertingStack stack, KafkaProducer<String, UsageEvent> load, int rate,
            AtomicBoolean running, AtomicLong sent) {
        long start = System.nanoTime();
        long n = 0;
        while (running.get()) {
            long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
            while (n < due) {
                String task = "bg-" + (n % 20_000);
                load.send(new ProducerRecord<>(stack.topic("usage"), task, UsageEvent.newBuilder()
                        .setEventId("bg-" + n).setEventTime(Instant.now()).setTenantId("bench-" + (n % 8)).setTaskId(task)
                        .setTaskClass("agent").setRoute("chat").setProvider("openai").setModel("gpt-4o")
                        .setInputTokens(1_000).setOutputTokens(100).setStatus(CallStatus.OK).build()));
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

    private static void report(List<Run> runs, double loadRate, int targetRate, int partitions) throws IOException {
        StringBuilder text = new StringBuilder(String.format(
                "alerting-stream spend cap: call that reaches 100%% -> BLOCK readable (read_committed), %d partitions%n"
                        + "background load: %.0f events/s achieved (target %d)%n", partitions, loadRate, targetRate));
        for (int callsPerSecond : new int[] {20, 200}) {
            List<Run> done = runs.stream().filter(r -> r.callsPerSecond == callsPerSecond && r.blockedNanos > 0).toList();
            long total = runs.stream().filter(r -> r.callsPerSecond == callsPerSecond).count();
            if (done.isEmpty()) {
                text.append(String.format("%d calls/s: none of %d crossings blocked%n", callsPerSecond, total));
                continue;
            }
            List<Long> latency = sorted(done.stream().map(Run::latencyMs).toList());
            List<Long> extra = sorted(done.stream().map(r -> (long) (r.callsSent - PACED_TO_CAP)).toList());
            List<Long> overNanos = sorted(done.stream().map(r -> Math.max(0, r.spendNanos() - CAP_NANOS)).toList());
            List<Long> bps = sorted(done.stream().map(Run::spendBps).toList());
            text.append(String.format("%d calls/s to the capped tenant: %d of %d crossings blocked%n"
                            + "  latency p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n"
                            + "  calls past the crossing one: p50 %d, p99 %d, max %d (each $%s)%n"
                            + "  overshoot past the $5 cap, nano-USD: p50 %d, p99 %d, max %d%n"
                            + "  spend when blocked, %% of cap: p50 %s, p99 %s, max %s%n",
                    callsPerSecond, done.size(), total, pct(latency, 50), pct(latency, 90), pct(latency, 99),
                    latency.get(latency.size() - 1), pct(extra, 50), pct(extra, 99), extra.get(extra.size() - 1),
                    java.math.BigDecimal.valueOf(CALL_NANOS, 9).stripTrailingZeros().toPlainString(),
                    pct(overNanos, 50), pct(overNanos, 99), overNanos.get(overNanos.size() - 1),
                    percent(pct(bps, 50)), percent(pct(bps, 99)), percent(bps.get(bps.size() - 1))));
            text.append("  latencies in run order, ms: ").append(done.stream().map(r -> Long.toString(r.latencyMs()))
                    .collect(java.util.stream.Collectors.joining(" "))).append(System.lineSeparator());
        }
        System.out.println(text);
        Files.writeString(Path.of("target", "cap-latency.txt"), text);
    }

    private static String percent(long bps) {
        return java.math.BigDecimal.valueOf(bps, 2).toPlainString() + "%";
    }

    private static List<Long> sorted(List<Long> values) {
        List<Long> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }

    private static long pct(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)));
    }
}
