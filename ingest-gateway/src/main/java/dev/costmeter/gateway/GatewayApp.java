package dev.costmeter.gateway;

import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.gateway.http.GatewayServer;
import dev.costmeter.gateway.otlp.GenAiSpanMapper;
import dev.costmeter.gateway.otlp.SpanMappingConfig;
import dev.costmeter.gateway.otlp.TraceIngest;
import dev.costmeter.gateway.switches.SwitchFeed;
import dev.costmeter.gateway.usage.UsageSink;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.HttpTls;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.schemas.config.KafkaClientSecurity;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.schemas.validation.UsageValidator;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ingest gateway: OTLP traces and JSON/CloudEvents usage in, to {@code llm.usage.v1}; kill
 * switches out over HTTP. Stateless: any number of instances can run behind a load balancer.
 */
public final class GatewayApp implements AutoCloseable {

    public static final String APP_NAME = "ingest-gateway";
    private static final Logger log = LoggerFactory.getLogger(GatewayApp.class);

    private final KafkaProducer<String, UsageEvent> producer;
    private final KillSwitchClient switches;
    private final SwitchFeed feed;
    private final GatewayServer server;

    /** The defaults, lowest precedence; every key is documented in the module README. */
    public static Map<String, String> defaults() {
        Map<String, String> defaults = new HashMap<>(SpanMappingConfig.defaults());
        defaults.putAll(Map.ofEntries(
                Map.entry("bootstrap.servers", "localhost:9092"),
                Map.entry("schema.registry.url", "http://localhost:8081"),
                Map.entry("http.host", "127.0.0.1"),
                Map.entry("http.port", "8092"),
                Map.entry("gateway.max.body.bytes", Integer.toString(4 * 1024 * 1024)),
                Map.entry("gateway.requests.per.second", "200"),
                Map.entry("gateway.requests.burst", "400"),
                Map.entry("gateway.max.concurrent.requests", "32"),
                Map.entry("gateway.max.streams", "64"),
                Map.entry("gateway.stream.heartbeat", "PT15S"),
                Map.entry("gateway.max.in.flight.events", "20000"),
                Map.entry("gateway.ack.timeout", "PT30S"),
                Map.entry("max.tokens.per.call", Long.toString(UsageValidator.DEFAULT_MAX_TOKENS_PER_CALL)),
                Map.entry("max.future.skew", UsageValidator.DEFAULT_MAX_FUTURE_SKEW.toString())));
        return defaults;
    }

    private GatewayApp(AppConfig config) {
        Clock clock = Clock.systemUTC();
        TopicNames topics = TopicNames.from(config.asMap());
        Map<String, Object> kafka = new HashMap<>(KafkaClientSecurity.of(config.asMap()));
        kafka.put("bootstrap.servers", config.string("bootstrap.servers"));
        Map<String, Object> registry = new HashMap<>();
        config.asMap().forEach((key, value) -> {
            if (key.startsWith("schema.registry.") || key.startsWith("basic.auth.")) {
                registry.put(key, value);
            }
        });
        VerifyKeys verifyKeys = VerifyKeys.parse("control.verify.keys", config.string("control.verify.keys"));
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

        Map<String, Object> producerConfig = new HashMap<>(kafka);
        producerConfig.putAll(registry);
        producerConfig.put(ProducerConfig.ACKS_CONFIG, "all");
        producerConfig.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        // A request waits for its acks; when Kafka is away it gets 503 within this, not a hung thread.
        producerConfig.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        producerConfig.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        producerConfig.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        producerConfig.put(ProducerConfig.CLIENT_ID_CONFIG, "costmeter-ingest-gateway");
        AvroSerializer<UsageEvent> serializer = new AvroSerializer<>();
        serializer.configure(producerConfig, false);
        producer = new KafkaProducer<>(producerConfig, new StringSerializer(), serializer);

        UsageValidator validator = new UsageValidator(config.longValue("max.tokens.per.call"),
                config.duration("max.future.skew", UsageValidator.DEFAULT_MAX_FUTURE_SKEW));
        UsageSink sink = new UsageSink(producer, topics.usage(), validator, config.integer("gateway.max.in.flight.events"),
                config.duration("gateway.ack.timeout", Duration.ofSeconds(30)), clock);
        meters.gauge("costmeter.gateway.usage.in.flight", sink, UsageSink::inFlight);
        TraceIngest traces = new TraceIngest(new GenAiSpanMapper(SpanMappingConfig.from(key -> config.optional(key).orElse(null))),
                validator, sink, clock, meters);

        Map<String, Object> consumerConfig = new HashMap<>(kafka);
        consumerConfig.putAll(registry);
        switches = KillSwitchClient.builder().bootstrapServers(config.string("bootstrap.servers"))
                .registryUrl(config.string("schema.registry.url")).properties(consumerConfig).topic(topics.control())
                .verifyKeys(verifyKeys).startupPolicy(StartupPolicy.FAIL_OPEN).build();
        switches.start();
        feed = new SwitchFeed(consumerConfig, topics.control(), new CommandJudge(verifyKeys), clock);
        feed.start();

        GatewayServer.Limits limits = new GatewayServer.Limits(config.integer("gateway.max.body.bytes"),
                Double.parseDouble(config.string("gateway.requests.per.second")),
                Double.parseDouble(config.string("gateway.requests.burst")),
                config.integer("gateway.max.concurrent.requests"), config.integer("gateway.max.streams"),
                config.duration("gateway.stream.heartbeat", Duration.ofSeconds(15)));
        Optional<HttpTls> tls = HttpTls.from(config);
        server = GatewayServer.start(config.string("http.host"), config.integer("http.port"), ApiAccess.from(config), tls, meters,
                traces, sink, switches, feed, () -> switches.metrics().caughtUp(), limits);
    }

    /**
     * Builds and starts the gateway from {@code config}.
     *
     * @throws org.apache.kafka.common.config.ConfigException naming the key at fault
     */
    public static GatewayApp start(AppConfig config) {
        return new GatewayApp(config);
    }

    /** The HTTP port (the bound one when configured as 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
        feed.close();
        switches.close();
        producer.close(Duration.ofSeconds(10));
    }

    public static void main(String[] args) throws InterruptedException {
        AppConfig config = AppConfig.load(APP_NAME, defaults(), Optional.empty(), System.getenv());
        log.info("Starting {} with {}", APP_NAME, config);
        GatewayApp app = start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            app.close();
            stopped.countDown();
        }, "costmeter-gateway-shutdown"));
        stopped.await();
    }
}
