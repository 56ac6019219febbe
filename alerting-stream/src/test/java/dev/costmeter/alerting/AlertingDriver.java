package dev.costmeter.alerting;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.alerting.control.ControlKeys;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.registry.SchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

/**
 * The alerting topology in a {@link TopologyTestDriver}, with its serdes talking to a real registry
 * server (in-memory store) over HTTP. The driver's wall clock starts at {@link #T0}.
 */
final class AlertingDriver implements AutoCloseable {

    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    /** alerting's kill-switch keys in these tests, generated for the run. */
    static final ControlKeys KEYS = ControlKeys.generate("test-alerting");

    private static SchemaRegistryServer registryServer;
    private static SchemaRegistryClient registry;

    final AlertingSettings settings;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> rawUsage;
    final TestInputTopic<String, UsageEvent> usage;
    final TestInputTopic<String, PricedUsage> ledger;
    final TestInputTopic<String, CostRollup> rollups;
    final TestInputTopic<String, BudgetPolicy> budgets;
    final TestInputTopic<String, PriceEntry> prices;
    final TestOutputTopic<String, Alert> alerts;
    final TestOutputTopic<String, ControlCommand> control;
    /** The control topic as others write it (operators, attackers): alerting reads it back. */
    final TestInputTopic<String, ControlCommand> controlIn;
    final TestInputTopic<byte[], byte[]> rawControl;
    final TestOutputTopic<byte[], byte[]> dlq;
    private final List<Alert> alertLog = new ArrayList<>();
    private final List<ControlCommand> commandLog = new ArrayList<>();

    static synchronized SchemaRegistryClient registry() throws IOException {
        if (registryServer == null) {
            registryServer = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
            registry = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(registryServer.baseUri().toString()));
            Runtime.getRuntime().addShutdownHook(new Thread(registryServer::close));
        }
        return registry;
    }

    static AlertingSettings settings(RuleSettings rules) {
        return new AlertingSettings(TopicNames.defaults(), "alerting-stream", KEYS, rules, Duration.ofSeconds(1), true);
    }

    static RuleSettings rules(int k, int n) {
        RuleSettings d = RuleSettings.defaults();
        return new RuleSettings(k, n, Duration.ofHours(1), d.taskIdleTimeout(), d.stormWindow(), d.retryStormPct(),
                10, d.failureBlockPct(), d.failureBlockDuration(), 3, d.spikeBaseline(), 1_000L, d.driftBps(), 5,
                Map.of("nightly", Duration.ofHours(2)));
    }

    AlertingDriver(Path stateDir) throws IOException {
        this(settings(rules(5, 30)), stateDir);
    }

    AlertingDriver(AlertingSettings settings, Path stateDir) throws IOException {
        this.settings = settings;
        Map<String, Object> serdeConfig = Map.of(RegistryClientConfig.URL, "http://unused");
        AlertingSerdes serdes = new AlertingSerdes(registry(), serdeConfig);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "alerting-test-" + UUID.randomUUID());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        driver = new TopologyTestDriver(AlertingTopology.build(settings, serdes, new AlertingMetrics(meters)), props, T0);
        TopicNames t = settings.topics();
        rawUsage = driver.createInputTopic(t.usage(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        usage = driver.createInputTopic(t.usage(), new StringSerializer(), serializer());
        ledger = driver.createInputTopic(t.ledger(), new StringSerializer(), serializer());
        rollups = driver.createInputTopic(t.rollups(), new StringSerializer(), serializer());
        budgets = driver.createInputTopic(t.budgets(), new StringSerializer(), serializer());
        prices = driver.createInputTopic(t.prices(), new StringSerializer(), serializer());
        alerts = driver.createOutputTopic(t.alerts(), new StringDeserializer(), serdes.alert().deserializer());
        control = driver.createOutputTopic(t.control(), new StringDeserializer(), serdes.controlCommand().deserializer());
        controlIn = driver.createInputTopic(t.control(), new StringSerializer(), serializer());
        rawControl = driver.createInputTopic(t.control(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
        dlq = driver.createOutputTopic(t.usageDlq(), Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
    }

    static <T extends SpecificRecord> AvroSerializer<T> serializer() throws IOException {
        AvroSerializer<T> serializer = new AvroSerializer<>(registry());
        serializer.configure(Map.of(RegistryClientConfig.URL, "http://unused"), false);
        return serializer;
    }

    static UsageEvent.Builder call(String eventId, String taskId, Instant at) {
        return UsageEvent.newBuilder()
                .setEventId(eventId).setEventTime(at).setTenantId("acme").setTaskId(taskId)
                .setTaskClass("agent").setRoute("chat").setProvider("openai").setModel("gpt-4o")
                .setInputTokens(2_000).setOutputTokens(500).setStatus(CallStatus.OK);
    }

    static PricedUsage.Builder priced(String eventId, String taskId, Instant at, long costNanos) {
        return PricedUsage.newBuilder()
                .setEventId(eventId).setEventTime(at).setTenantId("acme").setTaskId(taskId).setTaskClass("agent")
                .setRoute("chat").setProvider("openai").setModel("gpt-4o").setInputTokens(1).setOutputTokens(1)
                .setCacheReadTokens(0).setCacheWriteTokens(0).setReasoningTokens(0).setBatch(false).setAttempt(1)
                .setStatus(CallStatus.OK).setResponseCacheHit(false).setCostNanos(costNanos).setInputCostNanos(costNanos)
                .setOutputCostNanos(0).setCacheReadCostNanos(0).setCacheWriteCostNanos(0).setSavingsNanos(0)
                .setPriced(true).setLongContext(false).setPricedAt(at);
    }

    static CostRollup rollup(RollupDimension dimension, String scope, Granularity granularity, Instant windowStart,
            long costNanos, long calls, long retries, long failures) {
        Duration size = switch (granularity) {
            case MINUTE -> Duration.ofMinutes(1);
            case HOUR -> Duration.ofHours(1);
            case DAY -> Duration.ofDays(1);
        };
        return CostRollup.newBuilder().setDimension(dimension).setScope(scope).setGranularity(granularity)
                .setWindowStart(windowStart).setWindowEnd(windowStart.plus(size)).setCalls(calls).setRetries(retries)
                .setFailures(failures).setInputTokens(0).setOutputTokens(0).setCacheReadTokens(0).setCacheWriteTokens(0)
                .setCostNanos(costNanos).setInputCostNanos(costNanos).setOutputCostNanos(0).setCacheReadCostNanos(0)
                .setCacheWriteCostNanos(0).setSavingsNanos(0).setUpdatedAt(windowStart).build();
    }

    static BudgetPolicy.Builder policy(String scope, BudgetPeriod period, long limitNanos, BudgetAction action) {
        return BudgetPolicy.newBuilder().setScope(scope)
                .setLimits(List.of(new PeriodLimit(period, limitNanos)))
                .setAction(action).setUpdatedAt(T0);
    }

    void send(UsageEvent event) {
        usage.pipeInput(event.getTaskId(), event, event.getEventTime());
    }

    void send(PricedUsage call) {
        ledger.pipeInput(call.getEventId(), call, call.getEventTime());
    }

    void send(CostRollup r) {
        rollups.pipeInput(r.getDimension() + "|" + r.getScope() + "|" + r.getGranularity() + "|" + r.getWindowStart(), r,
                r.getUpdatedAt());
    }

    /** One dollar in nano-USD. */
    static final long USD = 1_000_000_000L;

    /** A price of openai/{@code model}: {@code usdPerMtokInput} dollars per million input tokens, output free. */
    static PriceEntry.Builder price(String model, Instant from, long usdPerMtokInput) {
        return PriceEntry.newBuilder().setProvider("openai").setModel(model).setEffectiveFrom(from)
                .setInputNanosPerMtok(usdPerMtokInput * USD).setOutputNanosPerMtok(0)
                .setPriceVersion("openai/" + model + "@" + from);
    }

    void apply(PriceEntry entry) {
        prices.pipeInput(entry.getProvider() + "/" + entry.getModel(), entry, T0);
    }

    /** Lets the spend caps' fast path send what it summed (its wall-clock flush). */
    void flushSpend() {
        driver.advanceWallClockTime(settings.capFlushInterval());
    }

    void apply(BudgetPolicy policy) {
        budgets.pipeInput(policy.getScope(), policy, T0);
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    /** Every alert emitted so far, in order. */
    List<Alert> alerts() {
        alertLog.addAll(alerts.readValuesToList());
        return alertLog;
    }

    /** Every command emitted so far, in order. */
    List<ControlCommand> commands() {
        commandLog.addAll(control.readValuesToList());
        return commandLog;
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
