package dev.costmeter.runtime.config;

import dev.costmeter.runtime.deadletter.CountingLogAndContinueHandler;
import dev.costmeter.runtime.deadletter.DeadLetterProcessingHandler;
import dev.costmeter.runtime.rocksdb.BoundedMemoryRocksDBConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Production {@link org.apache.kafka.streams.KafkaStreams} properties for a costmeter app, in the
 * manner of streams-bootstrap's {@code createBaseConfig}.
 *
 * <p>Override order, lowest to highest:
 * <ol>
 *   <li>the defaults below;</li>
 *   <li>every {@link AppConfig} key that Kafka knows: a key of {@link StreamsConfig},
 *       {@link ConsumerConfig}, {@link ProducerConfig} or {@link AdminClientConfig}, a key with a
 *       client prefix ({@code consumer.}, {@code producer.}, {@code admin.},
 *       {@code main.consumer.}, {@code restore.consumer.}, {@code global.consumer.},
 *       {@code client.tag.}), and the {@code rocksdb.*} sizing keys that
 *       {@link BoundedMemoryRocksDBConfig} reads. {@code topic.*} keys are NOT passed: costmeter
 *       uses them for its own topic names;</li>
 *   <li>{@code streams.<key>} keys, passed as {@code <key>} verbatim: the way to set anything
 *       else, including Kafka's internal-topic configs ({@code streams.topic.min.insync.replicas})
 *       and the replication factor ({@code streams.replication.factor}).</li>
 * </ol>
 *
 * <p>Defaults: {@code application.id} = the given id; {@code processing.guarantee=exactly_once_v2};
 * {@code ensure.explicit.internal.resource.naming=true}; {@code producer.acks=all};
 * {@code replication.factor=-1} (the broker's default); {@code num.standby.replicas=1} (with two or
 * more instances every task has a warm copy elsewhere, so a killed instance's work resumes on a
 * peer after the session timeout instead of after restoring its state from the changelog: under
 * exactly-once the state of a task that was not closed cleanly is wiped and restored in full; with
 * one instance there is nowhere to put a standby and none is made);
 * {@code commit.interval.ms=100} when the final guarantee is exactly-once;
 * {@code state.dir=./.costmeter/state/<app name>};
 * {@code rocksdb.config.setter=}{@link BoundedMemoryRocksDBConfig};
 * {@code statestore.cache.max.bytes=33554432} (32 MiB);
 * {@code deserialization.exception.handler=}{@link CountingLogAndContinueHandler} (the
 * non-deprecated name of {@code default.deserialization.exception.handler});
 * {@code processing.exception.handler=}{@link DeadLetterProcessingHandler} (with
 * {@code costmeter.dlq.app} = the app name; the app sets {@code costmeter.dlq.topic});
 * {@code processing.exception.handler.global.enabled=true} (Kafka 5.0's default, and silences the
 * start-up warning);
 * {@code session.timeout.ms=6000} and {@code heartbeat.interval.ms=1500} (a killed or paused
 * instance's tasks move after 6 s, the brokers' default {@code group.min.session.timeout.ms}, not
 * the consumer default of 45 s: four missed heartbeats);
 * {@code producer.transaction.timeout.ms=6000} when the final guarantee is exactly-once (Kafka
 * Streams sets 10 s): a killed or paused instance's open transaction is aborted by its coordinator
 * after 6 s (plus the brokers' abort-check interval), and until then its peers can neither read the
 * killed instance's committed input offsets nor restore past its writes. With the session timeout
 * at 6 s and the transaction timeout at 10 s, the abort, not the rebalance, set when a peer resumed
 * a killed instance's work (the fault campaign measured 12–18 s from a kill -9 to ledger output on
 * every partition); both at 6 s, it resumes within about 9 s on a quiet machine. A transaction that
 * legitimately runs longer (an app stalled longer than that mid-commit, a partition without a
 * leader for that long) is aborted and its records processed again: exactly-once holds, some work
 * is redone. The commit interval must stay well below it;
 * {@code probing.rebalance.interval.ms=60000} (the minimum: a new or restarted instance warms its
 * share of the state and takes its active tasks over within about a minute of catching up, rather
 * than up to 10 minutes; meanwhile it reports not ready).
 * {@code application.server} and {@code errors.dead.letter.queue.topic.name} are set only when
 * configured (they are Streams keys, so the second layer carries them).
 */
public final class StreamsDefaults {

    /** Prefix of keys passed to Kafka Streams verbatim with the prefix stripped. */
    public static final String STREAMS_PREFIX = "streams.";
    /** Prefix of the keys read by {@link BoundedMemoryRocksDBConfig}. */
    public static final String ROCKSDB_PREFIX = "rocksdb.";
    /** Default record cache across all threads: 32 MiB. */
    public static final long DEFAULT_CACHE_BYTES = 32L * 1024 * 1024;
    /** Default consumer session timeout: how long a silent (killed, paused) instance keeps its tasks. */
    public static final int DEFAULT_SESSION_TIMEOUT_MS = 6_000;
    /** Default transaction timeout under exactly-once: how long a dead instance's open transaction blocks its peers. */
    public static final int DEFAULT_TRANSACTION_TIMEOUT_MS = 6_000;
    /** Default probing rebalance interval: Kafka's minimum, 60 s. */
    public static final int DEFAULT_PROBING_REBALANCE_INTERVAL_MS = 60_000;

    /** Deprecated only because Kafka 5.0 makes {@code true} the sole behaviour; we opt in now. */
    @SuppressWarnings("deprecation")
    private static final String GLOBAL_PROCESSING_HANDLER_CONFIG =
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG;
    private static final Set<String> CLIENT_PREFIXES = Set.of(
            StreamsConfig.CONSUMER_PREFIX, StreamsConfig.PRODUCER_PREFIX, StreamsConfig.ADMIN_CLIENT_PREFIX,
            StreamsConfig.MAIN_CONSUMER_PREFIX, StreamsConfig.RESTORE_CONSUMER_PREFIX,
            StreamsConfig.GLOBAL_CONSUMER_PREFIX, StreamsConfig.CLIENT_TAG_PREFIX);
    private static final Set<String> KAFKA_KEYS = kafkaKeys();

    private StreamsDefaults() {
    }

    /**
     * The properties for {@code applicationId}: defaults, then the Kafka keys of {@code config},
     * then its {@code streams.*} keys (see the class comment).
     */
    public static Properties baseProperties(AppConfig config, String applicationId) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, "true");
        props.put(StreamsConfig.producerPrefix(ProducerConfig.ACKS_CONFIG), "all");
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, "-1");
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, "1");
        props.put(StreamsConfig.STATE_DIR_CONFIG,
                Path.of(".costmeter", "state", config.appName()).toString());
        props.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedMemoryRocksDBConfig.class.getName());
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(DEFAULT_CACHE_BYTES));
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                CountingLogAndContinueHandler.class.getName());
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.put(DeadLetterProcessingHandler.APP_CONFIG, config.appName());
        props.put(GLOBAL_PROCESSING_HANDLER_CONFIG, "true");
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Integer.toString(DEFAULT_SESSION_TIMEOUT_MS));
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Integer.toString(DEFAULT_SESSION_TIMEOUT_MS / 4));
        props.put(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG, Integer.toString(DEFAULT_PROBING_REBALANCE_INTERVAL_MS));

        for (Map.Entry<String, String> e : config.asMap().entrySet()) {
            if (isKafkaKey(e.getKey())) {
                props.put(e.getKey(), e.getValue());
            }
        }
        props.putAll(config.withPrefix(STREAMS_PREFIX));

        if (!props.containsKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)
                && StreamsConfig.EXACTLY_ONCE_V2.equals(props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100");
        }
        String transactionTimeout = StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);
        if (!props.containsKey(transactionTimeout) && !props.containsKey(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG)
                && StreamsConfig.EXACTLY_ONCE_V2.equals(props.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))) {
            props.put(transactionTimeout, Integer.toString(DEFAULT_TRANSACTION_TIMEOUT_MS));
        }
        return props;
    }

    /** Whether {@code key} of an {@link AppConfig} is passed to Kafka Streams as it is. */
    static boolean isKafkaKey(String key) {
        if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
            return false;
        }
        if (KAFKA_KEYS.contains(key) || key.startsWith(ROCKSDB_PREFIX)) {
            return true;
        }
        return CLIENT_PREFIXES.stream().anyMatch(key::startsWith);
    }

    private static Set<String> kafkaKeys() {
        Set<String> keys = new TreeSet<>(StreamsConfig.configDef().names());
        keys.addAll(ConsumerConfig.configNames());
        keys.addAll(ProducerConfig.configNames());
        keys.addAll(AdminClientConfig.configNames());
        return Set.copyOf(keys);
    }
}
