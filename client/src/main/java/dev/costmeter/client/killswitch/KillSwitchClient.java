package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.SchemaRegistryUnavailableException;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kill switches, held in memory: reads the compacted control topic from the beginning on
 * every start (no consumer group, all partitions), then follows it on a background thread.
 * {@link #check} answers from memory in well under a microsecond and allocates nothing.
 *
 * <p>Every command's Ed25519 signature is verified with the public key it names; the client holds
 * public keys only, so it cannot forge a command. Forged (bad signature, unknown key, an HMAC
 * command of an earlier version), replayed (not newer than the newest accepted for its scope),
 * expired and malformed records are dropped and counted in {@link #metrics()}. A switch is lifted
 * only by a signed ALLOW or its command's expiry: a tombstone never lifts one. With a
 * {@linkplain Builder#stateFile state file} the newest accepted command of each scope survives a
 * restart. Until the topic has been read to the end offsets seen at start, checks follow the
 * {@link StartupPolicy}.
 *
 * <pre>{@code
 * KillSwitchClient switches = KillSwitchClient.builder()
 *         .configuration(ClientConfiguration.load())  // bootstrap.servers, schema.registry.url, security, control.verify.keys
 *         .stateFile(Path.of("/var/lib/my-service/kill-switch.hw"))
 *         .build();
 * switches.start();
 * Decision d = switches.check("acme", "chat", "summarize@v7", "ticket-42", "user-9");
 * }</pre>
 */
public final class KillSwitchClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KillSwitchClient.class);
    private static final Decision.Block UNKNOWN = new Decision.Block("kill-switch state unknown", "*");
    /** The high-water file is rewritten at most this often while records arrive, and at close. */
    private static final long SAVE_INTERVAL_MS = 1_000;
    /** Pause before reading again records that could not be decoded because the registry cannot answer. */
    private static final long REGISTRY_RETRY_MS = 1_000;

    private final String topic;
    private final Map<String, Object> consumerConfig;
    private final StartupPolicy policy;
    private final Duration startupTimeout;
    private final Clock clock;
    private final SwitchTable table;
    private final HighWaterFile stateFile;
    private final ControlCounters counters;
    private final List<SwitchListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Decision beforeCaughtUp;
    private volatile boolean ready;
    private volatile boolean closed;
    private KafkaConsumer<String, byte[]> consumer;
    private AvroDeserializer<ControlCommand> deserializer;
    private Thread follower;
    private boolean unsaved;
    private boolean registryDown;
    private long savedAtMs;

    private KillSwitchClient(Builder builder) {
        this.topic = builder.topic;
        this.consumerConfig = builder.consumerConfig();
        this.policy = builder.policy;
        this.startupTimeout = builder.startupTimeout;
        this.clock = builder.clock;
        this.table = new SwitchTable(builder.keys);
        this.stateFile = builder.stateFile == null ? null : new HighWaterFile(builder.stateFile);
        this.counters = new ControlCounters(clock, table);
        this.beforeCaughtUp = policy == StartupPolicy.FAIL_OPEN ? Decision.ALLOW : UNKNOWN;
        this.listeners.addAll(builder.listeners);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts reading and waits until caught up with the end offsets seen now, or the startup
     * timeout. Reading continues in the background either way.
     *
     * @return true when caught up; false when the timeout passed and the startup policy applies
     */
    public synchronized boolean start() {
        if (follower != null) {
            throw new IllegalStateException("already started");
        }
        if (stateFile != null) {
            // Before anything is read: an older command read first must already be a replay.
            table.restore(stateFile.load(), clock.millis());
        }
        deserializer = new AvroDeserializer<>(ControlCommand.class);
        deserializer.configure(consumerConfig, false);
        consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new ByteArrayDeserializer());
        follower = new Thread(this::follow, "costmeter-kill-switch");
        follower.setDaemon(true);
        follower.start();
        try {
            if (caughtUp.await(startupTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.warn("Kill switches not read to the end of {} within {}; answering {} until caught up",
                topic, startupTimeout, policy == StartupPolicy.FAIL_OPEN ? "ALLOW" : "BLOCK");
        return false;
    }

    /**
     * What to do with a call, from memory. Any argument may be null when the call has no such
     * attribute. The most specific scope with a DEGRADE or BLOCK in force decides: task, then
     * end user ({@code end_user:<tenant>/<user>}), prompt ({@code prompt:<route>@<version>}),
     * route, tenant. A switch past its expires_at (checked against the wall clock now) no longer
     * applies.
     */
    public Decision check(String tenant, String route, String promptVersion, String taskId, String endUser) {
        if (!ready) {
            return beforeCaughtUp;
        }
        return table.decide(tenant, route, promptVersion, taskId, endUser, clock.millis());
    }

    /**
     * Applies {@code command} as if read from the topic and marks the client caught up, without a
     * broker: the benchmark loads 100,000 switches this way to time {@link #check} alone.
     */
    boolean loadForBenchmark(ControlCommand command) {
        ready = true;
        return table.apply(command.getScope(), command, clock.millis()) instanceof SwitchTable.Applied;
    }

    /** Tells {@code listener} of every later change of a scope's switch. */
    public void addListener(SwitchListener listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    public ControlMetrics metrics() {
        return counters;
    }

    /** Stops following the topic; later checks answer from the last state read. */
    @Override
    public synchronized void close() {
        closed = true;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (follower != null) {
            try {
                follower.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void follow() {
        try {
            Map<TopicPartition, Long> endAtStart = assignAll();
            while (!closed) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                Set<TopicPartition> waiting = new HashSet<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (!waiting.contains(partition) && !handle(record)) {
                        // The registry cannot answer: this record is read again later, never skipped as undecodable.
                        consumer.seek(partition, record.offset());
                        waiting.add(partition);
                    }
                }
                if (!waiting.isEmpty()) {
                    awaitRegistry(waiting);
                } else {
                    registryDown = false;
                }
                saveHighWaters(false);
                updateLag();
                if (!ready && reached(endAtStart)) {
                    ready = true;
                    counters.onCaughtUp();
                    caughtUp.countDown();
                    LOG.info("Kill switches read to the end of {}: {}", topic, counters);
                }
            }
        } catch (WakeupException e) {
            if (!closed) {
                LOG.error("Kill-switch consumer woken unexpectedly; switches are frozen", e);
            }
        } catch (RuntimeException e) {
            LOG.error("Kill-switch consumer failed; switches are frozen at their last state: {}", counters, e);
        } finally {
            saveHighWaters(true);
            consumer.close(Duration.ofSeconds(5));
            deserializer.close();
        }
    }

    /** Assigns every partition of the topic, waiting for it to exist, and returns their end offsets now. */
    private Map<TopicPartition, Long> assignAll() {
        List<PartitionInfo> partitions = List.of();
        boolean warned = false;
        while (partitions.isEmpty() && !closed) {
            try {
                List<PartitionInfo> found = consumer.partitionsFor(topic, Duration.ofSeconds(1));
                partitions = found == null ? List.of() : found;
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                partitions = List.of();
            }
            if (partitions.isEmpty() && !warned) {
                LOG.warn("Control topic {} not found yet; waiting for it", topic);
                warned = true;
            }
        }
        List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(assigned);
        consumer.seekToBeginning(assigned);
        return consumer.endOffsets(assigned);
    }

    private boolean reached(Map<TopicPartition, Long> endAtStart) {
        for (Map.Entry<TopicPartition, Long> end : endAtStart.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void updateLag() {
        long lag = 0;
        for (TopicPartition partition : consumer.assignment()) {
            lag += consumer.currentLag(partition).orElse(0);
        }
        counters.onLag(lag);
    }

    /** Rewrites the state file when something changed, at most once a second unless {@code now}. */
    private void saveHighWaters(boolean now) {
        if (stateFile == null || !unsaved || (!now && clock.millis() - savedAtMs < SAVE_INTERVAL_MS)) {
            return;
        }
        try {
            stateFile.save(table.highWaters());
            unsaved = false;
            savedAtMs = clock.millis();
        } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot write the kill-switch high-water file {}; will retry: {}", stateFile.path(), e.toString());
        }
    }

    /**
     * Waits a moment before the records of {@code partitions} are read again; logs once per outage.
     * A client that has not caught up stays so (its positions are behind the end): under
     * {@link StartupPolicy#FAIL_CLOSED} it keeps refusing calls.
     */
    private void awaitRegistry(Set<TopicPartition> partitions) {
        if (!registryDown) {
            LOG.warn("Schema registry unavailable: control records of {} are read again once it answers; until then "
                    + "the switches they hold are not applied", partitions);
            registryDown = true;
        }
        try {
            Thread.sleep(REGISTRY_RETRY_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** Judges and applies one record; false when it cannot be decoded now because the registry cannot answer. */
    private boolean handle(ConsumerRecord<String, byte[]> record) {
        SwitchTable.Outcome outcome;
        if (record.value() == null) {
            outcome = table.apply(record.key(), null, clock.millis());
        } else {
            ControlCommand command = null;
            String undecodable = null;
            try {
                command = deserializer.deserialize(record.topic(), record.value());
            } catch (RuntimeException e) {
                if (SchemaRegistryUnavailableException.isCause(e)) {
                    return false;
                }
                undecodable = String.valueOf(e.getMessage());
            }
            outcome = command == null ? table.undecodable(record.key(), undecodable)
                    : table.apply(record.key(), command, clock.millis());
        }
        if (!(outcome instanceof SwitchTable.Rejected rejected) || rejected.reason() == Rejection.EXPIRED) {
            unsaved = true;
        }
        if (outcome instanceof SwitchTable.Unchanged) {
            return true;
        }
        if (outcome instanceof SwitchTable.Cleaned cleaned) {
            counters.onCleaned();
            LOG.debug("Kill switch {} cleaned up by a tombstone (partition {}, offset {})", cleaned.scope(),
                    record.partition(), record.offset());
            if (cleaned.forgotten()) {
                // only an expired switch can be forgotten here: calls in the scope were allowed already
                notifyListeners(cleaned.scope(), Decision.ALLOW);
            }
        } else if (outcome instanceof SwitchTable.Applied applied) {
            counters.onApplied();
            LOG.info("Kill switch {} is now {} (partition {}, offset {})", applied.scope(), applied.decision(),
                    record.partition(), record.offset());
            notifyListeners(applied.scope(), applied.decision());
        } else if (outcome instanceof SwitchTable.Rejected rejected) {
            counters.onRejected(rejected.reason());
            LOG.warn("Ignored control record {} at partition {}, offset {}: {}", rejected.reason(), record.partition(),
                    record.offset(), rejected.detail());
            if (rejected.reason() == Rejection.EXPIRED) {
                notifyListeners(record.key(), Decision.ALLOW);
            }
        }
        return true;
    }

    private void notifyListeners(String scope, Decision decision) {
        for (SwitchListener listener : listeners) {
            try {
                listener.onChange(scope, decision);
            } catch (RuntimeException e) {
                LOG.warn("A kill-switch listener failed on {}", scope, e);
            }
        }
    }

    /** Settings of a {@link KillSwitchClient}: bootstrap servers, registry URL and verify keys are required. */
    public static final class Builder {

        private final Map<String, Object> properties = new HashMap<>();
        private final List<SwitchListener> listeners = new java.util.ArrayList<>();
        private String topic = TopicNames.defaults().control();
        private VerifyKeys keys;
        private Path stateFile;
        private StartupPolicy policy = StartupPolicy.FAIL_OPEN;
        private Duration startupTimeout = Duration.ofSeconds(10);
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder bootstrapServers(String servers) {
            properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Objects.requireNonNull(servers));
            return this;
        }

        public Builder registryUrl(String url) {
            properties.put(RegistryClientConfig.URL, Objects.requireNonNull(url));
            return this;
        }

        /** Any consumer or registry client setting (e.g. security); group settings are ignored. */
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
         * registry client key (security included) as {@link #property}, {@code topic.control} as the
         * topic and {@code control.verify.keys} as the {@linkplain #verifyKeys verify keys}.
         */
        public Builder configuration(Map<String, String> settings) {
            settings.forEach((key, value) -> {
                if (key.equals("topic.control")) {
                    topic(value);
                } else if (key.equals("control.verify.keys")) {
                    verifyKeys(VerifyKeys.parse(key, value));
                } else if (!dev.costmeter.client.ClientConfiguration.isCostmeterKey(key)) {
                    properties.put(key, value);
                }
            });
            return this;
        }

        /** The control topic; default {@code llm.control.v1}. */
        public Builder topic(String topic) {
            this.topic = Objects.requireNonNull(topic);
            return this;
        }

        /**
         * The public keys whose signatures are accepted: every key an issuer (alerting-stream, an
         * operator's costctl) may sign with, as {@code control.verify.keys} lists them.
         */
        public Builder verifyKeys(VerifyKeys keys) {
            this.keys = Objects.requireNonNull(keys);
            return this;
        }

        /**
         * A file that keeps, across restarts, the newest accepted command of every scope, so that a
         * restarted client neither obeys an older command nor forgets a switch when compaction left
         * an older command as the only record of its scope (a replay written while alerting-stream,
         * which re-asserts over it, was down). Read at {@link KillSwitchClient#start()} (each
         * command verified again), rewritten at most once a second while commands arrive and at
         * {@link KillSwitchClient#close()}. One file per process; default none (the newest commands
         * are then remembered for the life of the process only).
         */
        public Builder stateFile(Path file) {
            this.stateFile = Objects.requireNonNull(file);
            return this;
        }

        /** How to answer before caught up; default {@link StartupPolicy#FAIL_OPEN}. */
        public Builder startupPolicy(StartupPolicy policy) {
            this.policy = Objects.requireNonNull(policy);
            return this;
        }

        /** Longest {@link KillSwitchClient#start()} waits to catch up; default 10 s. */
        public Builder startupTimeout(Duration timeout) {
            this.startupTimeout = Objects.requireNonNull(timeout);
            return this;
        }

        /** The wall clock for expiry; the system UTC clock by default. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Builder listener(SwitchListener listener) {
            listeners.add(Objects.requireNonNull(listener));
            return this;
        }

        /** @throws IllegalStateException when the bootstrap servers, registry URL or keys are missing */
        public KillSwitchClient build() {
            if (!properties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            if (!properties.containsKey(RegistryClientConfig.URL)) {
                throw new IllegalStateException("registryUrl is required");
            }
            if (keys == null) {
                throw new IllegalStateException("verifyKeys are required (control.verify.keys, the issuers' public keys): "
                        + "unsigned switches are never obeyed");
            }
            return new KillSwitchClient(this);
        }

        Map<String, Object> consumerConfig() {
            Map<String, Object> config = new HashMap<>(properties);
            // No group: every instance reads every switch, and nothing is committed.
            config.remove(ConsumerConfig.GROUP_ID_CONFIG);
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            config.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "costmeter-kill-switch");
            config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            // A client must never create the control topic by asking for it.
            config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            return config;
        }
    }
}
