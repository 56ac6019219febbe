package dev.costmeter.gateway.switches;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.control.Judgement;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The stream of kill-switch changes for HTTP clients: follows {@code llm.control.v1} from the
 * beginning on every partition (no group, read_committed) and judges every record with
 * {@link CommandJudge}, the one rule set the Java client, costctl and alerting-stream use. Every
 * accepted command (a new switch, a lift, an expiry) goes to each subscriber as the signed command
 * itself, so a careful client can verify the signature on its own; a new subscriber first gets every
 * command in force.
 *
 * <p>Each subscriber has a bounded queue; one that falls {@value #QUEUE_CAPACITY} changes behind is
 * dropped (its stream ends and it reconnects, receiving the state in force again) rather than let
 * memory grow.
 */
public final class SwitchFeed implements AutoCloseable {

    static final int QUEUE_CAPACITY = 1_000;
    private static final Logger log = LoggerFactory.getLogger(SwitchFeed.class);

    private final Map<String, Object> consumerConfig;
    private final String topic;
    private final CommandJudge judge;
    private final Clock clock;
    private final Map<String, HighWater> highWater = new HashMap<>();
    private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
    private final Object lock = new Object();
    private volatile boolean running = true;
    private KafkaConsumer<String, byte[]> consumer;
    private Thread follower;

    public SwitchFeed(Map<String, Object> consumerConfig, String topic, CommandJudge judge, Clock clock) {
        this.consumerConfig = new HashMap<>(consumerConfig);
        this.consumerConfig.put("isolation.level", "read_committed");
        this.consumerConfig.put("enable.auto.commit", false);
        this.consumerConfig.put("allow.auto.create.topics", false);
        this.consumerConfig.remove("group.id");
        this.topic = topic;
        this.judge = judge;
        this.clock = clock;
    }

    /** A subscriber's changes, in order; {@code ended} once it was dropped or the feed closed. */
    public static final class Subscription implements AutoCloseable {
        private final BlockingQueue<ControlCommand> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
        private final SwitchFeed feed;
        private volatile boolean ended;

        private Subscription(SwitchFeed feed) {
            this.feed = feed;
        }

        /** The next change, or null when none came within {@code wait}. */
        public ControlCommand next(Duration wait) throws InterruptedException {
            return queue.poll(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        public boolean ended() {
            return ended && queue.isEmpty();
        }

        @Override
        public void close() {
            ended = true;
            feed.subscribers.remove(this);
        }
    }

    /** Subscribes: the commands in force now first, then every change. */
    public Subscription subscribe() {
        Subscription subscription = new Subscription(this);
        synchronized (lock) {
            long now = clock.millis();
            for (HighWater water : highWater.values()) {
                if (water.command() != null && water.inForce(now)) {
                    subscription.queue.offer(water.command());
                }
            }
            subscribers.add(subscription);
        }
        return subscription;
    }

    /** The newest accepted command of every scope that has one in force now, by scope. */
    public Map<String, ControlCommand> inForce() {
        Map<String, ControlCommand> now = new LinkedHashMap<>();
        synchronized (lock) {
            long at = clock.millis();
            highWater.forEach((scope, water) -> {
                if (water.command() != null && water.inForce(at)) {
                    now.put(scope, water.command());
                }
            });
        }
        return now;
    }

    public void start() {
        AvroDeserializer<ControlCommand> deserializer = new AvroDeserializer<>(ControlCommand.class);
        deserializer.configure(consumerConfig, false);
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        follower = new Thread(() -> follow(deserializer), "costmeter-gateway-switch-feed");
        follower.setDaemon(true);
        follower.start();
    }

    private void follow(AvroDeserializer<ControlCommand> deserializer) {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    handle(record, deserializer);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("The switch feed stopped following {}; SSE clients get no more changes", topic, e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
            subscribers.forEach(Subscription::close);
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, AvroDeserializer<ControlCommand> deserializer) {
        ControlCommand command = null;
        if (record.value() != null) {
            while (running) {
                try {
                    command = deserializer.deserialize(record.topic(), record.value());
                    break;
                } catch (RuntimeException e) {
                    if (!SchemaRegistryUnavailableException.isCause(e)) {
                        log.warn("Undecodable control record at {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                                e.getMessage());
                        return;
                    }
                    sleepASecond();
                }
            }
        }
        List<Subscription> dropped = new ArrayList<>();
        synchronized (lock) {
            Judgement judgement = judge.judge(record.key(), command, highWater.get(record.key()), clock.millis());
            if (judgement.kind() == Judgement.Kind.REFUSED) {
                log.debug("Control record refused ({}): {}", judgement.refusal(), judgement.detail());
                return;
            }
            if (judgement.next() != null && record.key() != null) {
                highWater.put(record.key(), judgement.next());
            }
            if (judgement.kind() != Judgement.Kind.APPLIED && judgement.kind() != Judgement.Kind.EXPIRED) {
                return;
            }
            for (Subscription subscription : subscribers) {
                if (!subscription.queue.offer(command)) {
                    dropped.add(subscription);
                }
            }
        }
        for (Subscription subscription : dropped) {
            log.warn("An SSE client fell {} switch changes behind; its stream is ended so it reconnects", QUEUE_CAPACITY);
            subscription.close();
        }
    }

    private static void sleepASecond() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    @Override
    public void close() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (follower != null) {
            try {
                follower.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
