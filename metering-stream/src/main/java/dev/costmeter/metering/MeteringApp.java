package dev.costmeter.metering;

import dev.costmeter.metering.query.LocalQueries;
import dev.costmeter.metering.query.MeteringRoutes;
import dev.costmeter.metering.query.StoreAccess;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.AppTopology;
import dev.costmeter.runtime.deadletter.DeadLetterProcessingHandler;
import dev.costmeter.runtime.lifecycle.RegistryPreconditions;
import dev.costmeter.runtime.lifecycle.StartPrecondition;
import dev.costmeter.runtime.http.JsonRoute;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.runtime.lifecycle.StreamsAppLauncher;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.topics.TopicNames;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;

/**
 * metering-stream's entry point: {@code MeteringApp [config.properties]}. Configuration keys and
 * defaults are in {@link #defaults()}; any key can be overridden in the properties file or by the
 * environment ({@code COSTMETER_<KEY>}, e.g. {@code COSTMETER_HTTP_PORT=8091}; also
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL}).
 */
public final class MeteringApp {

    public static final String APP_NAME = "metering-stream";

    private MeteringApp() {
    }

    /** Local-run defaults. */
    public static Map<String, String> defaults() {
        return Map.ofEntries(
                Map.entry("application.id", "costmeter-metering"),
                Map.entry("bootstrap.servers", "localhost:9092"),
                Map.entry("schema.registry.url", "http://localhost:8081"),
                Map.entry("http.port", "8090"),
                // Metering favours throughput: a commit (an exactly-once transaction) each second lets the
                // caches coalesce task totals and buffers. Alerting, which must act within a second, commits
                // every 50 ms and reads usage directly. The ledger is visible to read_committed readers within it.
                Map.entry("commit.interval.ms", "1000"),
                // Usage and outcomes may be processed in any order (each is applied whichever comes first),
                // so a task never waits for an empty partition, nor pays for checking one on every record.
                Map.entry("max.task.idle.ms", "-1"),
                // Every call leaves as a ledger record plus its task's state change: compressed, larger
                // batches cost the broker and the network far less per call. LZ4, the cheapest codec per
                // byte: compression runs on the stream thread (gzip took a fifth of its time at 2,000,000
                // tasks, issue #19). The ledger and rollups, which other languages read, are gzip on the
                // broker by their topic config (TopicPlan.READ_BY_OTHER_LANGUAGES), whatever is produced.
                Map.entry("producer.compression.type", "lz4"),
                Map.entry("producer.batch.size", "262144"),
                // The stream thread reads its input itself, inside poll(), and polls again only once it has
                // processed what it holds. A fetch response larger than the socket's receive buffer (64 KB by
                // default) therefore arrives only as fast as the thread polls, and a fetch holding only the
                // sparse inputs (outcomes, corrections, the two repartitions) waits at the broker for up to
                // fetch.max.wait.ms, during which no fetch of usage can go to that broker. Responses of at most
                // 3 MB, 512 KB a partition, land whole in a 4 MB buffer while the thread works, and the sparse
                // fetch returns within 20 ms: measured, the main consumer's fetch latency fell from 175 ms to
                // 16 ms (docs/benchmarks.md). The kernel caps the buffer at net.core.rmem_max. The cost: an
                // idle instance sends each broker about 50 empty fetches a second.
                Map.entry("main.consumer.receive.buffer.bytes", "4194304"),
                Map.entry("main.consumer.fetch.max.bytes", "3145728"),
                Map.entry("main.consumer.max.partition.fetch.bytes", "524288"),
                Map.entry("main.consumer.fetch.max.wait.ms", "20"),
                Map.entry("dedup.horizon", "24h"),
                Map.entry("dedup.ids.per.task", "64"),
                Map.entry("max.tokens.per.call", "10000000"),
                Map.entry("max.future.skew", "5m"),
                Map.entry("rollup.grace", "5m"),
                Map.entry("rollup.flush.interval", "1s"),
                Map.entry("rollup.max.buffered.keys", "10000"),
                Map.entry("rollup.retention.minute", "2d"),
                Map.entry("rollup.retention.hour", "35d"),
                Map.entry("rollup.retention.day", "400d"),
                Map.entry("task.cache.entries", "30000"),
                Map.entry("task.retention", "7d"));
    }

    public static void main(String[] args) {
        StreamsAppLauncher.main(DEFINITION, args);
    }

    /** Builds the app without starting it (integration tests start two in one JVM). */
    public static StreamsApp create(AppConfig config) {
        return StreamsAppLauncher.create(DEFINITION, config);
    }

    private static final StreamsAppLauncher.Definition DEFINITION = new StreamsAppLauncher.Definition() {
        @Override
        public String name() {
            return APP_NAME;
        }

        @Override
        public Map<String, String> defaults() {
            return MeteringApp.defaults();
        }

        @Override
        public AppTopology topology(AppConfig config, MeterRegistry meters) {
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.from(config.asMap()));
            MeteringSettings settings = settings(config);
            MeteringSerdes serdes = new MeteringSerdes(registry, config.asMap());
            Topology topology = MeteringTopology.build(settings, serdes, new MeteringMetrics(meters));
            TopicNames topics = settings.topics();
            Map<String, StartPrecondition> preconditions = new LinkedHashMap<>();
            preconditions.put("the schema registry: ids of the ledger, rollup and ledger-correction schemas",
                    () -> {
                        RegistryPreconditions.writes(serdes.pricedUsage(), topics.ledger()).check();
                        RegistryPreconditions.writes(serdes.costRollup(), topics.rollups()).check();
                        RegistryPreconditions.writes(serdes.ledgerCorrection(), topics.ledgerCorrections()).check();
                    });
            preconditions.put("the schema registry: schemas of usage, outcomes, prices and price corrections",
                    RegistryPreconditions.reads(registry, List.of(topics.usage(), topics.taskOutcomes(), topics.prices(),
                            topics.priceCorrections())));
            return new AppTopology(topology, preconditions,
                    Map.of(DeadLetterProcessingHandler.DLQ_TOPIC_CONFIG, topics.usageDlq()));
        }

        @Override
        public Map<String, JsonRoute> routes(StreamsApp app) {
            return new MeteringRoutes(new LocalQueries(storesOf(app.streams())), app.queryRouter(), Instant::now).routes();
        }
    };

    static MeteringSettings settings(AppConfig config) {
        MeteringSettings d = MeteringSettings.defaults();
        return new MeteringSettings(
                TopicNames.from(config.asMap()),
                APP_NAME,
                config.duration("dedup.horizon", d.dedupHorizon()),
                config.integer("dedup.ids.per.task", d.dedupIdsPerTask()),
                config.longValue("max.tokens.per.call", d.maxTokensPerCall()),
                config.duration("max.future.skew", d.maxFutureSkew()),
                config.duration("rollup.grace", d.grace()),
                config.duration("rollup.flush.interval", d.rollupFlushInterval()),
                config.integer("rollup.max.buffered.keys", d.maxBufferedKeys()),
                config.duration("rollup.retention.minute", d.minuteRetention()),
                config.duration("rollup.retention.hour", d.hourRetention()),
                config.duration("rollup.retention.day", d.dayRetention()),
                config.integer("task.cache.entries", d.taskCacheEntries()),
                config.duration("task.retention", d.taskRetention()));
    }

    static StoreAccess storesOf(KafkaStreams streams) {
        return new StoreAccess() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>keyValueStore()));
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                return streams.store(StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<K, V>windowStore()));
            }
        };
    }

}
