package dev.costmeter.metering;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.query.LocalQueries;
import dev.costmeter.metering.query.StoreAccess;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.runtime.deadletter.CountingLogAndContinueHandler;
import dev.costmeter.runtime.deadletter.DeadLetterProcessingHandler;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroSerializer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyWindowStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The metering topology in a {@link TopologyTestDriver}, with its serdes talking to a real registry
 * server (in-memory store) over HTTP.
 */
final class MeteringDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    static final long GPT_IN = 2_500_000_000L;
    static final long GPT_OUT = 10_000_000_000L;

    private static SchemaRegistryServer registryServer;
    private static SchemaRegistryClient registry;

    final MeteringSettings settings;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final String applicationId = "metering-test-" + UUID.randomUUID();
    final TestInputTopic<byte[], byte[]> rawUsage;
    final TestInputTopic<String, UsageEvent> usage;
    final TestInputTopic<String, TaskOutcome> outcomes;
    final TestInputTopic<String, PriceEntry> prices;
    final TestOutputTopic<String, PricedUsage> ledger;
    final TestOutputTopic<String, CostRollup> rollups;
    final TestOutputTopic<byte[], byte[]> dlq;

    /** The registry server's URL, for clients of their own (with caches of their own). */
    static synchronized String registryUrl() throws IOException {
        registry();
        return registryServer.baseUri().toString();
    }

    static synchronized SchemaRegistryClient registry() throws IOException {
        if (registryServer == null) {
            registryServer = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
            registry = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(registryServer.baseUri().toString()));
            Runtime.getRuntime().addShutdownHook(new Thread(registryServer::close));
        }
        return registry;
    }

    MeteringDriver(MeteringSettings settings, Path stateDir) throws IOException {
        this(settings, stateDir, registry());
    }

    /** With the app's serdes talking through {@code appRegistry} (e.g. one that can be taken down). */
    MeteringDriver(MeteringSettings settings, Path stateDir, SchemaRegistryClient appRegistry) throws IOException {
        this.settings = settings;
        Map<String, Object> serdeConfig = Map.of(RegistryClientConfig.URL, "http://unused");
        MeteringSerdes serdes = new MeteringSerdes(appRegistry, serdeConfig);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // The app's processing-exception handling, as StreamsDefaults and MeteringApp configure it.
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class.getName());
        props.putAll(Map.of("processing.exception.handler.global.enabled", "true"));
        props.put(DeadLetterProcessingHandler.DLQ_TOPIC_CONFIG, settings.topics().usageDlq());
        props.put(DeadLetterProcessingHandler.APP_CONFIG, settings.appName());
        props.put(CountingLogAndContinueHandler.METER_REGISTRY_CONFIG, meters);
        driver = new TopologyTestDriver(MeteringTopology.build(settings, serdes, new MeteringMetrics(meters)), props, T0);
        rawUsage = driver.createInputTopic(settings.topics().usage(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        usage = driver.createInputTopic(settings.topics().usage(), new StringSerializer(), serializer());
        outcomes = driver.createInputTopic(settings.topics().taskOutcomes(), new StringSerializer(), serializer());
        prices = driver.createInputTopic(settings.topics().prices(), new StringSerializer(), serializer());
        ledger = driver.createOutputTopic(settings.topics().ledger(), new StringDeserializer(), serdes.pricedUsage().deserializer());
        rollups = driver.createOutputTopic(settings.topics().rollups(), new StringDeserializer(), serdes.costRollup().deserializer());
        dlq = driver.createOutputTopic(settings.topics().usageDlq(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    static <T extends SpecificRecord> AvroSerializer<T> serializer() throws IOException {
        AvroSerializer<T> serializer = new AvroSerializer<>(registry());
        serializer.configure(Map.of(RegistryClientConfig.URL, "http://unused"), false);
        return serializer;
    }

    static UsageEvent.Builder call(String eventId, String taskId, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId(eventId).setEventTime(at).setTenantId("acme").setTaskId(taskId)
                .setTaskClass("support-answer").setRoute("chat").setProvider("openai").setModel("gpt-4o")
                .setInputTokens(2_000).setOutputTokens(500).setStatus(CallStatus.OK);
    }

    static PriceEntry.Builder price(String model, Instant from, long input, long output) {
        return PriceEntry.newBuilder().setProvider("openai").setModel(model).setEffectiveFrom(from)
                .setInputNanosPerMtok(input).setOutputNanosPerMtok(output)
                .setPriceVersion("openai/" + model + "@" + from);
    }

    /** The query API's local queries over this driver's stores. */
    LocalQueries queries() {
        return new LocalQueries(new StoreAccess() {
            @Override
            public <K, V> ReadOnlyKeyValueStore<K, V> keyValue(String name) {
                return driver.getKeyValueStore(name);
            }

            @Override
            public <K, V> ReadOnlyWindowStore<K, V> window(String name) {
                return driver.getWindowStore(name);
            }
        });
    }

    void send(UsageEvent event) {
        usage.pipeInput(new TestRecord<>(event.getTaskId(), event, event.getEventTime()));
    }

    void send(PriceEntry entry) {
        prices.pipeInput(entry.getProvider() + "/" + entry.getModel(), entry, entry.getEffectiveFrom());
    }

    void finish(String taskId, Outcome outcome, Instant at) {
        outcomes.pipeInput(new TestRecord<>(taskId, TaskOutcome.newBuilder().setTaskId(taskId).setTenantId("acme")
                .setTaskClass("support-answer").setRoute("chat").setOutcome(outcome).setEventTime(at).build(), at));
    }

    /** Lets the wall-clock punctuation send pre-aggregated deltas on. */
    void flushRollups() {
        driver.advanceWallClockTime(settings.rollupFlushInterval().plus(Duration.ofMillis(1)));
    }

    private final List<CostRollup> emitted = new java.util.ArrayList<>();

    /** Every rollup emitted so far (the output topic is read once and remembered). */
    List<CostRollup> emittedRollups() {
        emitted.addAll(rollups.readValuesToList());
        return emitted;
    }

    /** The rollups emitted since the last drain. */
    List<CostRollup> drainRollups() {
        List<CostRollup> fresh = new java.util.ArrayList<>(emittedRollups());
        emitted.clear();
        return fresh;
    }

    List<PricedUsage> ledgerRows() {
        return ledger.readValuesToList();
    }

    double counter(String name, String... tags) {
        var counter = meters.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        driver.close();
    }
}
