package dev.costmeter.faults.workload;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a plan's steps at their offsets with one idempotent producer ({@code acks=all}) and the
 * project's {@link AvroSerializer}, as a service would. A send Kafka fails is sent again with the same
 * bytes until it is acknowledged (deduplication makes that harmless, and the oracle then knows every
 * planned call was accepted). Re-send bursts asked for by the fault schedule go out between steps.
 */
public final class WorkloadDriver implements AutoCloseable {

    /** The topics the workload writes, and the ledger topic the wrong-record-type poison is encoded for. */
    public record Topics(String usage, String outcomes, String ledger) {
    }

    private static final Logger log = LoggerFactory.getLogger(WorkloadDriver.class);
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(15);
    private static final Duration ACK_PATIENCE = Duration.ofMinutes(10);

    private final WorkloadPlan plan;
    private final Topics topics;
    private final Instant runStart;
    private final KafkaProducer<String, byte[]> producer;
    private final AvroSerializer<UsageEvent> usage = new AvroSerializer<>();
    private final AvroSerializer<TaskOutcome> outcomes = new AvroSerializer<>();
    private final AvroSerializer<PricedUsage> ledger = new AvroSerializer<>();
    private final SentLog sent;
    private final Map<Integer, byte[]> poisonBytes = new HashMap<>();
    private final ConcurrentLinkedQueue<Retry> failed = new ConcurrentLinkedQueue<>();
    private final Map<PlannedOutcome, Integer> outcomeIndex = new IdentityHashMap<>();
    private final ConcurrentLinkedQueue<Burst> bursts = new ConcurrentLinkedQueue<>();
    private volatile int highestSentCall = -1;
    private volatile boolean stopped;

    private record Burst(int count, long seed, CompletableFuture<Integer> done) {
    }

    /** A record Kafka failed to take, with what its acknowledgement means. */
    private record Retry(ProducerRecord<String, byte[]> record, Ack ack) {
    }

    /** Tells which record a callback belongs to. */
    private interface Ack {
        void acked();
    }

    public WorkloadDriver(WorkloadPlan plan, Topics topics, Instant runStart, String bootstrapServers, String registryUrl) {
        this.plan = plan;
        this.topics = topics;
        this.runStart = runStart;
        this.sent = new SentLog(plan.calls().size());
        for (int i = 0; i < plan.outcomes().size(); i++) {
            outcomeIndex.put(plan.outcomes().get(i), i);
        }
        Map<String, Object> serde = Map.of(RegistryClientConfig.URL, registryUrl);
        usage.configure(serde, false);
        outcomes.configure(serde, false);
        ledger.configure(serde, false);
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 10);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "fault-campaign-workload");
        // Brokers are killed on purpose: keep trying for as long as a fault can last rather than fail a send.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ACK_PATIENCE.toMillis());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ACK_PATIENCE.toMillis());
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Encodes what needs the registry before any fault: the bad records (one registers the ledger's
     * schema on the ledger topic's subject) and one record of each type, so that the serializers hold
     * their schema ids when the registry is taken down later.
     */
    public void prepare() {
        for (PlannedPoison poison : plan.poison()) {
            poisonBytes.put(poison.index(), new PoisonRecords(usage, ledger, topics.usage(), topics.ledger())
                    .bytes(poison, runStart));
        }
        if (!plan.calls().isEmpty()) {
            usage.serialize(topics.usage(), plan.calls().get(0).toEvent(runStart));
        }
        if (!plan.outcomes().isEmpty()) {
            outcomes.serialize(topics.outcomes(), plan.outcomes().get(0).toRecord(runStart));
        }
    }

    public SentLog sent() {
        return sent;
    }

    /** Asks for {@code count} re-sends of calls already acknowledged, sent at once; completes with how many went out. */
    public CompletableFuture<Integer> requestBurst(int count, long seed) {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        bursts.add(new Burst(count, seed, done));
        return done;
    }

    public void stop() {
        stopped = true;
    }

    /** Sends every step at its offset from {@code startNanos} (a {@link System#nanoTime()}), then waits for every ack. */
    public void run(long startNanos) throws InterruptedException {
        long nextProgress = System.nanoTime() + PROGRESS_EVERY.toNanos();
        int done = 0;
        for (Step step : plan.steps()) {
            long due = startNanos + TimeUnit.MILLISECONDS.toNanos(step.offsetMs());
            while (!stopped && System.nanoTime() < due) {
                serveBurstsAndRetries();
                LockSupport.parkNanos(Math.min(due - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(5)));
            }
            if (stopped) {
                return;
            }
            send(step);
            done++;
            if (System.nanoTime() > nextProgress) {
                nextProgress += PROGRESS_EVERY.toNanos();
                log.info("Workload: {}/{} steps sent, {} calls acknowledged, {} ms behind plan", done, plan.steps().size(),
                        sent.callsAcked(), Math.max(0, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - due)));
            }
        }
        producer.flush();
        awaitAllAcked();
    }

    private void send(Step step) throws InterruptedException {
        serveBurstsAndRetries();
        if (step instanceof Step.Call c) {
            PlannedCall call = c.call();
            sent.sent(call.index(), System.currentTimeMillis());
            highestSentCall = Math.max(highestSentCall, call.index());
            send(topics.usage(), call.taskId(), usage.serialize(topics.usage(), call.toEvent(runStart)),
                    () -> sent.callAcked(call.index()));
        } else if (step instanceof Step.Resend r) {
            resend(r.callIndex(), true);
        } else if (step instanceof Step.SendOutcome o) {
            int index = outcomeIndex.get(o.outcome());
            send(topics.outcomes(), o.outcome().taskId(), outcomes.serialize(topics.outcomes(), o.outcome().toRecord(runStart)),
                    () -> sent.outcomeAcked(index));
        } else if (step instanceof Step.Poison p) {
            byte[] value = poisonBytes.get(p.poison().index());
            send(topics.usage(), p.poison().key(), value, () -> sent.poisonAcked(p.poison().index(), value));
        }
    }

    /** Re-sends a call's exact bytes; a planned re-send first waits (a little) for the original's ack. */
    private void resend(int callIndex, boolean waitForAck) throws InterruptedException {
        if (waitForAck && !sent.isCallAcked(callIndex)) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!sent.isCallAcked(callIndex) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            if (!sent.isCallAcked(callIndex)) {
                sent.resentBeforeAck();
            }
        }
        PlannedCall call = plan.calls().get(callIndex);
        sent.resent(System.currentTimeMillis());
        send(topics.usage(), call.taskId(), usage.serialize(topics.usage(), call.toEvent(runStart)), () -> { });
    }

    private void send(String topic, String key, byte[] value, Ack ack) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        producer.send(record, callback(record, ack));
    }

    private Callback callback(ProducerRecord<String, byte[]> record, Ack ack) {
        return (metadata, exception) -> {
            if (exception == null) {
                ack.acked();
            } else {
                sent.sendFailed();
                log.warn("Send to {} failed ({}); sending the same record again", record.topic(), exception.toString());
                failed.add(new Retry(new ProducerRecord<>(record.topic(), record.key(), record.value()), ack));
            }
        };
    }

    private void serveBurstsAndRetries() throws InterruptedException {
        Retry retry;
        while ((retry = failed.poll()) != null) {
            producer.send(retry.record(), callback(retry.record(), retry.ack()));
        }
        Burst burst;
        while ((burst = bursts.poll()) != null) {
            burst.done().complete(sendBurst(burst));
        }
    }

    private int sendBurst(Burst burst) throws InterruptedException {
        SplittableRandom random = new SplittableRandom(burst.seed());
        List<Integer> chosen = new ArrayList<>();
        int high = highestSentCall;
        for (int tries = 0; chosen.size() < burst.count() && high >= 0 && tries < burst.count() * 20; tries++) {
            int index = random.nextInt(high + 1);
            if (sent.isCallAcked(index) && !isRunaway(index)) {
                chosen.add(index);
            }
        }
        for (int index : chosen) {
            resend(index, false);
        }
        log.info("Re-sent a burst of {} acknowledged calls", chosen.size());
        return chosen.size();
    }

    /** Re-sends of a runaway's calls would add to alerting's repeat count, which the loop design counts exactly. */
    private boolean isRunaway(int callIndex) {
        String taskId = plan.calls().get(callIndex).taskId();
        return plan.runaways().stream().anyMatch(r -> r.taskId().equals(taskId));
    }

    private void awaitAllAcked() throws InterruptedException {
        long deadline = System.nanoTime() + ACK_PATIENCE.toNanos();
        while (sent.callsAcked() < plan.calls().size() || !failed.isEmpty()) {
            if (System.nanoTime() > deadline) {
                log.error("{} of {} calls still unacknowledged after {}", plan.calls().size() - sent.callsAcked(),
                        plan.calls().size(), ACK_PATIENCE);
                return;
            }
            serveBurstsAndRetries();
            producer.flush();
            Thread.sleep(100);
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
        usage.close();
        outcomes.close();
        ledger.close();
    }
}
