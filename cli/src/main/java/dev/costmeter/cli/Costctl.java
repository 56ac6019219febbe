package dev.costmeter.cli;

import dev.costmeter.cli.budgets.BudgetsCommand;
import dev.costmeter.cli.envelope.EnvelopeCommand;
import dev.costmeter.cli.keys.KeysCommand;
import dev.costmeter.cli.levers.LeversCommand;
import dev.costmeter.cli.kafka.KafkaConnection;
import dev.costmeter.cli.metering.MeteringClient;
import dev.costmeter.cli.metering.ModelsCommand;
import dev.costmeter.cli.status.StatusCommand;
import dev.costmeter.cli.switches.SwitchesCommand;
import dev.costmeter.cli.metering.SpendCommand;
import dev.costmeter.cli.metering.TopTasksCommand;
import dev.costmeter.cli.prices.KafkaSettings;
import dev.costmeter.cli.prices.PricesCommand;
import dev.costmeter.cli.whatif.WhatIfCommand;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code costctl}, the operator's command line: publishes the price catalog and queries spend.
 * Options given before or after a subcommand apply to it; exit codes are in {@link ExitCodes}.
 */
@Command(name = "costctl",
        mixinStandardHelpOptions = true,
        versionProvider = Costctl.Version.class,
        subcommands = {PricesCommand.class, BudgetsCommand.class, SwitchesCommand.class, KeysCommand.class,
            SpendCommand.class, TopTasksCommand.class, ModelsCommand.class, EnvelopeCommand.class, LeversCommand.class,
            WhatIfCommand.class, StatusCommand.class,
            CommandLine.HelpCommand.class},
        description = "Operate costmeter: prices, budgets, kill switches, spend, the costliest tasks, health.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:ok",
            "1:the operation failed",
            "2:usage error",
            "3:a service (Kafka, schema registry, metering-stream) is not reachable"})
public final class Costctl implements Runnable {

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "<file>",
            description = "Properties file (env COSTMETER_CONFIG_FILE): any key below, and the Kafka client's"
                    + " security.protocol, sasl.*, ssl.* and the registry client's basic.auth.*, schema.registry.ssl.*."
                    + " Order: defaults < file < COSTMETER_* environment < options (docs/configuration.md).")
    java.nio.file.Path configFile;

    @Option(names = "--bootstrap-servers", scope = ScopeType.INHERIT, paramLabel = "<host:port,...>",
            description = "Kafka bootstrap servers (key bootstrap.servers, env COSTMETER_BOOTSTRAP_SERVERS; default: "
                    + CostctlSettings.DEFAULT_BOOTSTRAP_SERVERS + ").")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", scope = ScopeType.INHERIT, paramLabel = "<url>",
            description = "Schema registry URL (key schema.registry.url, env COSTMETER_SCHEMA_REGISTRY_URL; default: "
                    + CostctlSettings.DEFAULT_REGISTRY_URL + ").")
    String schemaRegistryUrl;

    @Option(names = "--metering-url", scope = ScopeType.INHERIT, paramLabel = "<url>",
            description = "metering-stream query API (key metering.url, env COSTMETER_METERING_URL; default: "
                    + CostctlSettings.DEFAULT_METERING_URL + ").")
    String meteringUrl;

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "table|json", defaultValue = "table",
            description = "Output format: table or json (default: ${DEFAULT-VALUE}).")
    Output output;

    @Option(names = "--topic-prices", scope = ScopeType.INHERIT, paramLabel = "<topic>",
            description = "The compacted prices topic (key topic.prices, env COSTMETER_TOPIC_PRICES; default: llm.prices.v1).")
    String pricesTopic;

    @Option(names = "--topic-budgets", scope = ScopeType.INHERIT, paramLabel = "<topic>",
            description = "The compacted budgets topic (key topic.budgets, env COSTMETER_TOPIC_BUDGETS; default: llm.budgets.v1).")
    String budgetsTopic;

    @Option(names = "--topic-control", scope = ScopeType.INHERIT, paramLabel = "<topic>",
            description = "The compacted kill-switch topic (key topic.control, env COSTMETER_TOPIC_CONTROL; default: llm.control.v1).")
    String controlTopic;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "<seconds>", defaultValue = "10",
            description = "Seconds to wait for a service before calling it unreachable (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    private final Clock clock;
    private final Duration meteringBackoff;
    private final Function<String, String> env;
    private final java.util.Map<String, String> configEnvironment;
    private CostctlSettings settings;

    /** A costctl on the system clock, backing off 250 ms, 500 ms, 1 s between retries of a 503. */
    public Costctl() {
        this(Clock.systemUTC(), Duration.ofMillis(250));
    }

    /** A costctl whose "now" and "today" come from {@code clock} and whose retries back off from {@code meteringBackoff}. */
    public Costctl(Clock clock, Duration meteringBackoff) {
        this(clock, meteringBackoff, System::getenv, System.getenv());
    }

    /** As {@link #Costctl(Clock, Duration)}, reading kill-switch keys and the operator's name from {@code env}. */
    public Costctl(Clock clock, Duration meteringBackoff, Function<String, String> env) {
        this(clock, meteringBackoff, env, java.util.Map.of());
    }

    /**
     * As {@link #Costctl(Clock, Duration, Function)}, with {@code configEnvironment} as the
     * environment layer of the configuration (the constructor above leaves it empty, so that tests
     * do not depend on the machine's environment).
     */
    public Costctl(Clock clock, Duration meteringBackoff, Function<String, String> env,
            java.util.Map<String, String> configEnvironment) {
        this.clock = clock;
        this.meteringBackoff = meteringBackoff;
        this.env = env;
        this.configEnvironment = java.util.Map.copyOf(configEnvironment);
    }

    public static void main(String[] args) {
        System.exit(commandLine(new Costctl()).execute(args));
    }

    /** The command line for {@code costctl}, with its error handling; print through its getOut/getErr. */
    public static CommandLine commandLine(Costctl costctl) {
        CommandLine commandLine = new CommandLine(costctl);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> {
            PrintWriter err = failed.getErr();
            if (e instanceof CostctlException c) {
                err.println("costctl: " + c.getMessage());
                c.details().forEach(line -> err.println("  " + line));
                err.flush();
                return c.exitCode();
            }
            err.println("costctl: unexpected failure: " + e);
            err.flush();
            return ExitCodes.FAILED;
        });
        return commandLine;
    }

    /** The root command of {@code spec}'s command line, holding the global options. */
    public static Costctl root(CommandSpec spec) {
        return (Costctl) spec.root().userObject();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
    }

    public Output output() {
        return output;
    }

    public Clock clock() {
        return clock;
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The resolved configuration: defaults, the --config file, the environment, the options. */
    public synchronized CostctlSettings settings() {
        if (settings == null) {
            java.util.Map<String, String> flags = new java.util.LinkedHashMap<>();
            putIfGiven(flags, "bootstrap.servers", bootstrapServers);
            putIfGiven(flags, "schema.registry.url", schemaRegistryUrl);
            putIfGiven(flags, "metering.url", meteringUrl);
            putIfGiven(flags, "topic.prices", pricesTopic);
            putIfGiven(flags, "topic.budgets", budgetsTopic);
            putIfGiven(flags, "topic.control", controlTopic);
            settings = CostctlSettings.resolve(java.util.Optional.ofNullable(configFile), configEnvironment, flags);
        }
        return settings;
    }

    private static void putIfGiven(java.util.Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    /** Where the prices topic is, from the global options. */
    public KafkaSettings kafka() {
        return new KafkaSettings(connection(), settings().pricesTopic());
    }

    /** Where Kafka and the registry are and how to authenticate to them, from the configuration. */
    public KafkaConnection connection() {
        CostctlSettings resolved = settings();
        return new KafkaConnection(resolved.bootstrapServers(), resolved.schemaRegistryUrl(), timeout(),
                resolved.kafkaSecurity(), resolved.registryClientProperties());
    }

    public String budgetsTopic() {
        return settings().budgetsTopic();
    }

    public String controlTopic() {
        return settings().controlTopic();
    }

    public String schemaRegistryUrl() {
        return settings().schemaRegistryUrl();
    }

    public String meteringUrl() {
        return settings().meteringUrl();
    }

    /** An environment variable, or null when unset or blank. */
    public String env(String name) {
        String value = env.apply(name);
        return value == null || value.isBlank() ? null : value;
    }

    /**
     * Who is acting, for {@code updated_by} and {@code issuer}: {@code given} (an --operator option)
     * or {@code $USER}; a usage error when neither is known, since an anonymous change cannot be traced.
     */
    public String operatorName(String given, CommandSpec command) {
        String name = given != null && !given.isBlank() ? given.strip() : env("USER");
        if (name == null) {
            throw new CommandLine.ParameterException(command.commandLine(),
                    "Who is acting is unknown: pass --operator <name> (USER is not set)");
        }
        return name;
    }

    /** A client of metering-stream's query API at {@code --metering-url}. */
    public MeteringClient meteringClient() {
        String meteringUrl = meteringUrl();
        URI base;
        try {
            base = URI.create(meteringUrl.endsWith("/") ? meteringUrl.substring(0, meteringUrl.length() - 1) : meteringUrl);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid --metering-url '" + meteringUrl + "': " + e.getMessage());
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw new CommandLine.ParameterException(spec.commandLine(), "Invalid --metering-url '" + meteringUrl + "': expected http://host:port");
        }
        return new MeteringClient(base, timeout(), meteringBackoff, MeteringClient.DEFAULT_RETRIES);
    }

    /** Reports the version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Costctl.class.getPackage().getImplementationVersion();
            return new String[] {"costctl " + (version == null ? "(development build)" : version)};
        }
    }
}
