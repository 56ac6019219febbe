package dev.costmeter.client.usage;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports one {@link UsageEvent} per model call to Kafka without slowing the call: {@link #report}
 * only puts the event in a bounded buffer (microseconds); a background thread hands it to an
 * idempotent producer ({@code acks=all}) keyed by task_id, so a task's events stay in order and a
 * producer retry is never charged twice.
 *
 * <p>When the buffer is full (Kafka unreachable or slower than the service), the
 * {@link OverflowPolicy} decides: drop the new event (default) or wait a bounded time. Either way
 * {@link #metrics()} counts it and a warning is logged at most every 10 seconds.
 * {@link #close(Duration)} sends what is buffered within the timeout.
 *
 * <pre>{@code
 * UsageReporter reporter = UsageReporter.builder()
 *         .bootstrapServers("localhost:9092").registryUrl("http://localhost:8081").build();
 * reporter.call().tenant("acme").task("ticket-42", "support-answer").route("chat")
 *         .model("openai", "gpt-4o").usage(OpenAiUsage.chatCompletions(response.usage()))
 *         .report();
 * }</pre>
 */
public final class UsageReporter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UsageReporter.class);
    private static final int DRAIN_BATCH = 512;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final String topic;
    private final Producer<String, UsageEvent> producer;
    private final BlockingQueue<UsageEvent> buffer;
    private final ReporterCounters counters;
    private final OverflowPolicy policy;
    private final long blockTimeoutNanos;
    private final Clock clock;
    private final Thread sender;
    private volatile boolean closing;

    private UsageReporter(Builder builder, Producer<String, UsageEvent> producer) {
        this.topic = builder.topic;
        this.buffer = new ArrayBlockingQueue<>(builder.bufferCapacity);
        this.counters = new ReporterCounters(buffer);
        this.policy = builder.overflowPolicy;
        this.blockTimeoutNanos = builder.blockTimeout.toNanos();
        this.clock = builder.clock;
        this.producer = producer;
        this.sender = new Thread(this::sendLoop, "costmeter-usage-sender");
        this.sender.setDaemon(true);
        this.sender.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Queues {@code event} for sending and returns at once (or, under
     * {@link OverflowPolicy#BLOCK_WITH_TIMEOUT}, within the block timeout). An absent event_time is
     * set to now; an absent event_id is set to a random UUID before sending.
     *
     * @return true when queued, false when dropped because the buffer is full or the reporter is closed
     * @throws IllegalArgumentException when the event has no task_id, which is its record key
     */
    public boolean report(UsageEvent event) {
        if (event.getTaskId() == null) {
            throw new IllegalArgumentException("A usage event needs a task_id: it is the record key");
        }
        if (event.getEventTime() == null) {
            event.setEventTime(clock.instant());
        }
        // An event made with `new UsageEvent()` has null maps where the schema's default is an empty
        // map, which Avro cannot encode: the event would fail on the sender thread, after report()
        // returned true.
        if (event.getLabels() == null) {
            event.setLabels(java.util.Map.of());
        }
        if (event.getRequestCounts() == null) {
            event.setRequestCounts(java.util.Map.of());
        }
        if (closing) {
            counters.onDropped("the reporter is closed");
            return false;
        }
        if (buffer.offer(event) || policy == OverflowPolicy.BLOCK_WITH_TIMEOUT && offerWithin(event)) {
            counters.onQueued();
            return true;
        }
        counters.onDropped("the buffer of " + (buffer.size() + buffer.remainingCapacity())
                + " events is full; is Kafka reachable? (policy " + policy + ")");
        return false;
    }

    /** Starts describing one model call; {@link UsageCall#report()} queues it. */
    public UsageCall call() {
        return new UsageCall(this);
    }

    /** Counters for the caller's own metrics system. */
    public ReporterMetrics metrics() {
        return counters;
    }

    /** The topic events go to. */
    public String topic() {
        return topic;
    }

    /**
     * Stops accepting events and sends what is buffered, waiting at most {@code timeout} in all.
     * Events still buffered when it runs out are counted as dropped.
     */
    public void close(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        closing = true;
        try {
            sender.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (sender.isAlive()) {
            sender.interrupt();
        }
        int abandoned = 0;
        while (buffer.poll() != null) {
            counters.onDropped("still buffered when close timed out");
            abandoned++;
        }
        producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        if (abandoned > 0) {
            LOG.warn("Closed with {} usage event(s) unsent after {}: {}", abandoned, timeout, counters);
        } else {
            LOG.info("Usage reporter closed: {}", counters);
        }
    }

    /** {@link #close(Duration)} with 10 seconds. */
    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }

    private boolean offerWithin(UsageEvent event) {
        try {
            return buffer.offer(event, blockTimeoutNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void sendLoop() {
        List<UsageEvent> batch = new ArrayList<>(DRAIN_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            if (buffer.drainTo(batch, DRAIN_BATCH) == 0) {
                if (closing) {
                    break;
                }
                // Park rather than wait on the queue: a waiting consumer turns every offer() into a
                // futex wake-up, microseconds on the caller's thread. A few milliseconds of delay
                // are nothing next to the producer's linger.
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            for (UsageEvent event : batch) {
                send(event);
            }
            batch.clear();
        }
        producer.flush();
    }

    private void send(UsageEvent event) {
        // Filled here rather than in report(): a UUID costs a SecureRandom call the caller need not pay.
        if (event.getEventId() == null) {
            event.setEventId(UUID.randomUUID().toString());
        }
        if (event.getStatus() == null) {
            event.setStatus(CallStatus.OK);
        }
        if (event.getLabels() == null) {
            event.setLabels(Map.of());
        }
        try {
            producer.send(new ProducerRecord<>(topic, event.getTaskId(), event), (metadata, error) -> {
                if (error == null) {
                    counters.onSent();
                } else {
                    counters.onSendError(error);
                }
            });
        } catch (RuntimeException e) {
            // send() throws at once for a serialization, registry or metadata (max.block.ms) failure.
            counters.onSendError(e);
        }
    }

    private static AvroSerializer<UsageEvent> serializer(Map<String, Object> config) {
        AvroSerializer<UsageEvent> serializer = new AvroSerializer<>();
        serializer.configure(config, false);
        return serializer;
    }

    /** Settings of a {@link UsageReporter}; only the bootstrap servers and registry URL are required. */
    public static final class Builder {

        private final Map<String, Object> properties = new HashMap<>();
        private String topic = TopicNames.defaults().usage();
        private int bufferCapacity = 10_000;
        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_NEWEST;
        private Duration blockTimeout = Duration.ofMillis(5);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder bootstrapServers(String servers) {
            properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers));
            return this;
        }

        public Builder registryUrl(String url) {
            properties.put(RegistryClientConfig.URL, Objects.requireNonNull(url));
            return this;
        }

        /** Any producer, registry client or serde setting; these override the reporter's defaults. */
        public Builder property(String key, Object value) {
            properties.put(key, value);
            return this;
        }

        /** All of {@code props}, as {@link #property}. */
        public Builder properties(Map<String, ?> props) {
            properties.putAll(props);
            return this;
        }

        /**
         * Settings resolved by {@link dev.costmeter.client.ClientConfiguration}: every Kafka and
         * registry client key (security included) as {@link #property}, and {@code topic.usage} as the topic.
         */
        public Builder configuration(Map<String, String> settings) {
            settings.forEach((key, value) -> {
                if (key.equals("topic.usage")) {
                    topic(value);
                } else if (!dev.costmeter.client.ClientConfiguration.isCostmeterKey(key)) {
                    properties.put(key, value);
                }
            });
            return this;
        }

        /** The usage topic; default {@code llm.usage.v1}. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic);
            return this;
        }

        /** Most events held while Kafka is slow or away; default 10,000 (a few MB). */
        public Builder bufferCapacity(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("bufferCapacity must be at least 1: " + capacity);
            }
            this.bufferCapacity = capacity;
            return this;
        }

        /** What to do when the buffer is full; default {@link OverflowPolicy#DROP_NEWEST}. */
        public Builder overflowPolicy(OverflowPolicy policy) {
            this.overflowPolicy = Objects.requireNonNull(policy);
            return this;
        }

        /** Longest wait for room under {@link OverflowPolicy#BLOCK_WITH_TIMEOUT}; default 5 ms. */
        public Builder blockTimeout(Duration timeout) {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("blockTimeout is negative: " + timeout);
            }
            this.blockTimeout = timeout;
            return this;
        }

        /** The clock that stamps event_time when absent; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /** @throws IllegalStateException when the bootstrap servers or the registry URL are missing */
        public UsageReporter build() {
            if (!properties.containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            if (!properties.containsKey(RegistryClientConfig.URL)) {
                throw new IllegalStateException("registryUrl is required");
            }
            Map<String, Object> config = producerConfig();
            return new UsageReporter(this, new KafkaProducer<>(config, new StringSerializer(), serializer(config)));
        }

        /** With a given producer: the benchmark uses one that acknowledges at once, to isolate the caller's cost. */
        UsageReporter build(Producer<String, UsageEvent> producer) {
            return new UsageReporter(this, producer);
        }

        Map<String, Object> producerConfig() {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            // Only the sender thread ever waits on the producer; a short max.block.ms keeps it
            // draining (and dropping, with a count) rather than stalling while Kafka is away.
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000);
            config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, "costmeter-usage-reporter");
            config.putAll(properties);
            return config;
        }
    }
}
