package dev.costmeter.alerting;

import dev.costmeter.alerting.control.ControlKeeper;
import dev.costmeter.alerting.control.ControlKeys;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.deadletter.DeadLetterProcessingHandler;
import dev.costmeter.runtime.lifecycle.AppTopology;
import dev.costmeter.runtime.lifecycle.RegistryPreconditions;
import dev.costmeter.runtime.lifecycle.StartPrecondition;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.runtime.lifecycle.StreamsAppLauncher;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.topics.TopicNames;
import dev.costmeter.schemas.validation.UsageValidator;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * alerting-stream's entry point: {@code AlertingApp [config.properties]}. Keys and defaults are in
 * {@link #defaults()}; any key can be overridden in the properties file or by the environment
 * ({@code COSTMETER_<KEY>}, e.g. {@code COSTMETER_CONTROL_SIGNING_KEY}; also {@code KAFKA_BOOTSTRAP_SERVERS}
 * and {@code SCHEMA_REGISTRY_URL}).
 *
 * <p>No key ships: {@code control.signing.key} and {@code control.verify.keys} must be set, or the app
 * refuses to start ({@code costctl keys generate} makes a pair; {@code ./costmeter up} generates one
 * under its data directory).
 */
public final class AlertingApp {

    public static final String APP_NAME = "alerting-stream";
    /** The private Ed25519 key commands are signed with: {@code id:<base64 PKCS#8>} or {@code file:<path>}. */
    public static final String CONTROL_SIGNING_KEY = "control.signing.key";
    /** The public keys the control topic is verified with, this app's own among them: {@code id:<base64 X.509>,...}. */
    public static final String CONTROL_VERIFY_KEYS = "control.verify.keys";

    private static final String NO_KEY = " is not set: alerting-stream signs kill-switch commands and ships no key. "
            + "Generate a pair with `cli/costctl keys generate`, give this app the private half (control.signing.key, "
            + "COSTMETER_CONTROL_SIGNING_KEY=<id>:<base64> or file:<path>) and the public half to this app and every "
            + "service (control.verify.keys, COSTMETER_CONTROL_VERIFY_KEYS). `./costmeter up` generates a local pair "
            + "under its data directory.";

    private static final Logger log = LoggerFactory.getLogger(AlertingApp.class);

    private AlertingApp() {
    }

    /** Local-run defaults. */
    public static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("application.id", "costmeter-alerting");
        d.put("bootstrap.servers", "localhost:9092");
        d.put("schema.registry.url", "http://localhost:8081");
        d.put("http.port", "8091");
        // A cap's BLOCK waits for two exactly-once commits in series (the spend signal's through the
        // repartition, then the command's): 50 ms each halves the wait of the streams-runtime default of
        // 100 ms, for twice as many (small) transactions. See the README's cap benchmark.
        d.put("commit.interval.ms", "50");
        // Required, with no default (see the class comment): listed blank so that defaults() names every key.
        d.put(CONTROL_SIGNING_KEY, "");
        d.put(CONTROL_VERIFY_KEYS, "");
        ControlKeeper.Settings keeper = ControlKeeper.Settings.defaults();
        d.put("control.tombstone.delay", keeper.tombstoneDelay().toMinutes() + "m");
        d.put("control.replay.horizon", keeper.replayHorizon().toDays() + "d");
        d.put("control.sweep.interval", keeper.sweepInterval().toMinutes() + "m");
        d.put("punctuate.interval", "1s");
        // Durable per-task counters: a restart does not hand a looping agent a fresh K calls.
        d.put("task.state.changelog", "true");
        d.put("cap.flush.interval", "20ms");
        RuleSettings r = RuleSettings.defaults();
        d.put("loop.repeat.limit", Integer.toString(r.loopRepeatLimit()));
        d.put("rate.calls.per.minute", Integer.toString(r.callsPerMinute()));
        d.put("task.block.duration", "24h");
        d.put("task.idle.timeout", "6h");
        d.put("rules.window", "5m");
        d.put("retry.storm.pct", Integer.toString(r.retryStormPct()));
        d.put("storm.min.calls", Integer.toString(r.stormMinCalls()));
        d.put("failure.block.pct", Integer.toString(r.failureBlockPct()));
        d.put("failure.block.duration", "15m");
        d.put("spike.factor", Integer.toString(r.spikeFactor()));
        d.put("spike.baseline", "1h");
        d.put("spike.min.nanos", Long.toString(r.spikeMinNanos()));
        d.put("drift.bps", Integer.toString(r.driftBps()));
        d.put("drift.min.calls", Integer.toString(r.driftMinCalls()));
        d.put("silence.routes", "");
        // The contract's validation limits: keep them equal to metering-stream's, so that both apps
        // agree on which usage events count.
        d.put("max.tokens.per.call", Long.toString(UsageValidator.DEFAULT_MAX_TOKENS_PER_CALL));
        d.put("max.future.skew", "5m");
        return Map.copyOf(d);
    }

    public static void main(String[] args) {
        StreamsAppLauncher.main(DEFINITION, args);
    }

    /** Builds the app without starting it (integration tests and the benchmark start it in-JVM). */
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
            return AlertingApp.defaults();
        }

        @Override
        public AppTopology topology(AppConfig config, MeterRegistry meters) {
            RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.from(config.asMap()));
            AlertingSettings settings = settings(config);
            AlertingSerdes serdes = new AlertingSerdes(registry, config.asMap());
            Topology topology = AlertingTopology.build(settings, serdes, new AlertingMetrics(meters));
            TopicNames topics = settings.topics();
            Map<String, StartPrecondition> preconditions = new LinkedHashMap<>();
            preconditions.put("the schema registry: ids of the alert and control schemas", () -> {
                RegistryPreconditions.writes(serdes.alert(), topics.alerts()).check();
                RegistryPreconditions.writes(serdes.controlCommand(), topics.control()).check();
            });
            preconditions.put("the schema registry: schemas of usage, ledger, rollups, budgets and prices", RegistryPreconditions
                    .reads(registry, List.of(topics.usage(), topics.ledger(), topics.rollups(), topics.budgets(),
                            topics.prices())));
            // Bad usage events are metering-stream's to dead-letter; alerting never dead-letters them again.
            return new AppTopology(topology, preconditions, Map.of(
                    DeadLetterProcessingHandler.DLQ_TOPIC_CONFIG, topics.usageDlq(),
                    DeadLetterProcessingHandler.SKIP_TOPICS_CONFIG, topics.usage()));
        }
    };

    static AlertingSettings settings(AppConfig config) {
        ControlKeys keys = controlKeys(config);
        RuleSettings d = RuleSettings.defaults();
        RuleSettings rules = new RuleSettings(
                config.integer("loop.repeat.limit", d.loopRepeatLimit()),
                config.integer("rate.calls.per.minute", d.callsPerMinute()),
                config.duration("task.block.duration", d.taskBlockDuration()),
                config.duration("task.idle.timeout", d.taskIdleTimeout()),
                config.duration("rules.window", d.stormWindow()),
                config.integer("retry.storm.pct", d.retryStormPct()),
                config.integer("storm.min.calls", d.stormMinCalls()),
                config.integer("failure.block.pct", d.failureBlockPct()),
                config.duration("failure.block.duration", d.failureBlockDuration()),
                config.integer("spike.factor", d.spikeFactor()),
                config.duration("spike.baseline", d.spikeBaseline()),
                config.longValue("spike.min.nanos", d.spikeMinNanos()),
                config.integer("drift.bps", d.driftBps()),
                config.integer("drift.min.calls", d.driftMinCalls()),
                silence(config.string("silence.routes", "")));
        ControlKeeper.Settings k = ControlKeeper.Settings.defaults();
        ControlKeeper.Settings keeper = new ControlKeeper.Settings(
                config.duration("control.tombstone.delay", k.tombstoneDelay()),
                config.duration("control.replay.horizon", k.replayHorizon()),
                config.duration("control.sweep.interval", k.sweepInterval()));
        return new AlertingSettings(TopicNames.from(config.asMap()), APP_NAME, keys, rules,
                config.duration("punctuate.interval", Duration.ofSeconds(1)), config.bool("task.state.changelog", true),
                new UsageValidator(config.longValue("max.tokens.per.call", UsageValidator.DEFAULT_MAX_TOKENS_PER_CALL),
                        config.duration("max.future.skew", UsageValidator.DEFAULT_MAX_FUTURE_SKEW)),
                config.duration("cap.flush.interval", AlertingSettings.DEFAULT_CAP_FLUSH_INTERVAL), keeper);
    }

    /** The kill-switch keys; a missing or mismatched key stops the start with what to do about it. */
    static ControlKeys controlKeys(AppConfig config) {
        String signing = config.optional(CONTROL_SIGNING_KEY)
                .orElseThrow(() -> new ConfigException(CONTROL_SIGNING_KEY + NO_KEY));
        String verify = config.optional(CONTROL_VERIFY_KEYS)
                .orElseThrow(() -> new ConfigException(CONTROL_VERIFY_KEYS + NO_KEY));
        try {
            ControlKeys keys = new ControlKeys(SigningKey.parse(CONTROL_SIGNING_KEY, signing),
                    VerifyKeys.parse(CONTROL_VERIFY_KEYS, verify));
            log.info("Signing kill-switch commands with key '{}'; verifying the control topic with {}",
                    keys.signingKey().id(), keys.verifyKeys().ids());
            return keys;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** Parses {@code route=duration[,route=duration...]}, e.g. {@code nightly-batch=25h}. */
    static Map<String, Duration> silence(String text) {
        Map<String, Duration> routes = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return routes;
        }
        for (String entry : text.split(",")) {
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("silence.routes", text, "Each entry must be route=duration, e.g. nightly=25h");
            }
            AppConfig one = AppConfig.of(APP_NAME, Map.of("gap", entry.substring(eq + 1).trim()));
            routes.put(entry.substring(0, eq).trim(), one.duration("gap", null));
        }
        return routes;
    }

}
