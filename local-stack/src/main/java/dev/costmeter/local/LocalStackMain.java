package dev.costmeter.local;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code costmeter up}: starts the local stack in the foreground, supervises it (a component that
 * exits is restarted), and stops it, in order, on Ctrl-C.
 *
 * <p>Options: {@code --demo} runs simulated services and a live view; {@code --data-dir DIR} (default
 * {@code .costmeter}); {@code --postgres-url JDBC_URL} to use an external PostgreSQL (user and
 * password from {@code COSTMETER_PG_USER} / {@code COSTMETER_PG_PASSWORD}); {@code --brokers N}
 * (1), {@code --metering-instances M} (1), {@code --alerting-instances K} (1); ports
 * {@code --kafka-port} (9092), {@code --controller-port} (9093), {@code --registry-port} (8081),
 * {@code --metering-port} (8090), {@code --alerting-port} (8091), {@code --connect-port} (8083),
 * {@code --postgres-port} (5432), {@code --inbox-port} (8099), {@code --gateway-port} (8092); extra brokers and instances at +100
 * per instance ({@link StackConfig}); {@code --secure} runs Kafka on SASL_SSL with SCRAM users per
 * component, a local CA and deny-by-default ACLs ({@link dev.costmeter.local.security.StackSecurity}).
 * {@code COSTMETER_PG_USER} and {@code COSTMETER_PG_PASSWORD} are read like any costmeter setting
 * (keys {@code pg.user}, {@code pg.password}; the file {@code COSTMETER_CONFIG_FILE} names, then the
 * environment: docs/configuration.md).
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        LauncherLogging.configure(args);
        boolean demo = Arrays.asList(args).contains("--demo");
        String[] stackArgs = Arrays.stream(args).filter(a -> !a.equals("--demo")).toArray(String[]::new);
        StackConfig config;
        try {
            config = parse(stackArgs);
        } catch (IllegalArgumentException e) {
            System.err.println("costmeter up: " + e.getMessage());
            System.err.println("usage: costmeter up [--demo] [--secure] [--data-dir DIR] [--postgres-url JDBC_URL] [--brokers N]"
                    + " [--metering-instances M] [--alerting-instances K] [--<component>-port N ...]");
            System.exit(2);
            return;
        }
        System.out.println("costmeter: starting the local stack, data in " + config.dataDir());
        LocalStack stack;
        try {
            stack = LocalStack.start(config, demo ? new DemoScreenProgress() : LocalStackMain::printProgress);
        } catch (LocalStack.StackStartException e) {
            System.err.println("costmeter: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Demo> demoRun = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("costmeter: stopping the local stack");
            Demo running = demoRun.get();
            if (running != null) {
                running.close();
            }
            stack.close();
            stopped.countDown();
        }, "costmeter-shutdown"));

        printAddresses(stack, demo);
        if (demo) {
            demoRun.set(Demo.start(stack));
        }
        // The supervisor restarts what exits; this thread only waits for Ctrl-C.
        stopped.await();
    }

    /** One line per component or step as it comes up: the console carries no component's log. */
    private static void printProgress(String part, String where, java.time.Duration sinceStart) {
        System.out.printf(java.util.Locale.ROOT, "  %-20s %-44s (%.1f s)%n", part, where, sinceStart.toMillis() / 1000.0);
    }

    /** With the demo's screen, which lists alerts itself, pages go to the launcher's log rather than between its refreshes. */
    private static final class DemoScreenProgress implements StartProgress {
        private final java.io.PrintStream pages = StdoutToLog.lines(org.slf4j.LoggerFactory.getLogger(OnCallInbox.class));

        @Override
        public void up(String part, String where, java.time.Duration sinceStart) {
            printProgress(part, where, sinceStart);
        }

        @Override
        public java.io.PrintStream pages() {
            return pages;
        }
    }

    private static void printAddresses(LocalStack stack, boolean demo) {
        StackConfig config = stack.config();
        System.out.println();
        System.out.println("costmeter is up:");
        System.out.println("  Kafka            " + stack.bootstrapServers() + (config.secure() ? "  SASL_SSL" : "")
                + (config.shape().brokers() > 1 ? "  (" + config.shape().brokers() + " brokers, replication factor "
                        + config.replicationFactor() + ", min.insync.replicas " + config.minInsyncReplicas() + ")" : ""));
        System.out.println("  Schema registry  " + stack.registryUrl());
        if (!stack.meteringUrls().isEmpty()) {
            System.out.println("  Metering API     " + String.join(" ", stack.meteringUrls())
                    + "  (/v1/spend, /v1/tasks, /v1/top-tasks, /metrics)");
        }
        if (!stack.alertingUrls().isEmpty()) {
            System.out.println("  Alerting         " + String.join(" ", stack.alertingUrls()) + "  (/health/ready, /metrics)");
        }
        if (config.runsGateway()) {
            System.out.println("  Ingest gateway   " + stack.gatewayUrl() + "  (OTLP /v1/traces, /v1/usage, /v1/switches/check,"
                    + " /v1/switches/stream)");
        }
        if (config.shape().connect()) {
            System.out.println("  Kafka Connect    " + stack.connectUrl() + "  (ledger sink -> PostgreSQL, alert sink -> inbox)");
            System.out.println("  PostgreSQL       " + stack.postgres().jdbcUrl() + "  (schema costmeter)");
            System.out.println("  On-call inbox    " + config.inboxUrl() + "  (pages printed " + (demo ? "in costmeter-up.log" : "here")
                    + ", kept in " + config.dataDir().resolve("inbox") + ")");
        }
        stack.security().ifPresent(security -> {
            System.out.println("  Kafka security   " + security.directory() + "  (SCRAM-SHA-512 users per component, CA ca.pem,"
                    + " deny-by-default ACLs)");
            System.out.println("                   costctl as the operator: cli/costctl --config "
                    + security.clientFile(dev.costmeter.local.security.StackPrincipal.OPERATOR) + " status");
            System.out.println("                   your services: COSTMETER_CONFIG_FILE="
                    + security.clientFile(dev.costmeter.local.security.StackPrincipal.SERVICE));
        });
        StackControlKeys keys = stack.controlKeys();
        System.out.println("  Kill-switch keys " + keys.verifyKeysFile().getParent() + "  (alerting signs; services verify with"
                + " --verify-keys file:" + keys.verifyKeysFile() + ")");
        System.out.println("  Logs             " + config.logDir() + "  (one file per component, <name>.log; the launcher's"
                + " own, the demo's clients included, costmeter-up.log)");
        System.out.println("A component that exits is restarted. Press Ctrl-C to stop.");
    }

    static StackConfig parse(String[] args) {
        Path dataDir = Path.of(".costmeter");
        StackConfig.Ports d = StackConfig.Ports.DEFAULTS;
        int[] ports = {d.kafka(), d.controller(), d.registry(), d.metering(), d.alerting(), d.connect(), d.postgres(), d.inbox()};
        StackConfig.Shape s = StackConfig.Shape.DEFAULT;
        int[] counts = {s.brokers(), s.meteringInstances(), s.alertingInstances()};
        String pgUrl = null;
        java.util.Map<String, String> settings = dev.costmeter.schemas.config.ConfigLayers.resolve(
                java.util.Map.of("pg.user", "postgres"), java.util.Optional.empty(), System.getenv(),
                dev.costmeter.schemas.config.DeprecatedNames.none(), java.util.Map.of());
        String pgUser = settings.get("pg.user");
        String pgPassword = settings.getOrDefault("pg.password", "");
        boolean secure = false;
        int gatewayPort = StackConfig.DEFAULT_GATEWAY_PORT;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--secure")) {
                secure = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--kafka-port" -> ports[0] = port(option, value);
                case "--controller-port" -> ports[1] = port(option, value);
                case "--registry-port" -> ports[2] = port(option, value);
                case "--metering-port" -> ports[3] = port(option, value);
                case "--alerting-port" -> ports[4] = port(option, value);
                case "--connect-port" -> ports[5] = port(option, value);
                case "--postgres-port" -> ports[6] = port(option, value);
                case "--inbox-port" -> ports[7] = port(option, value);
                case "--gateway-port" -> gatewayPort = port(option, value);
                case "--brokers" -> counts[0] = count(option, value, 1);
                case "--metering-instances" -> counts[1] = count(option, value, 0);
                case "--alerting-instances" -> counts[2] = count(option, value, 0);
                case "--postgres-url" -> pgUrl = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        StackConfig config = StackConfig.defaults(dataDir).withPorts(new StackConfig.Ports(ports[0], ports[1], ports[2],
                ports[3], ports[4], ports[5], ports[6], ports[7]))
                .withShape(new StackConfig.Shape(counts[0], counts[1], counts[2], true)).withGatewayPort(gatewayPort);
        if (pgUrl != null) {
            config = config.withExternalPostgres(new StackConfig.ExternalPostgres(pgUrl, pgUser, pgPassword));
        }
        return secure ? config.withSecurity() : config;
    }

    private static int port(String option, String value) {
        try {
            int port = Integer.parseInt(value);
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a port number from 1 to 65535, not '" + value + "'");
        }
    }

    private static int count(String option, String value, int min) {
        try {
            int count = Integer.parseInt(value);
            if (count < min || count > 9) {
                throw new NumberFormatException();
            }
            return count;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number from " + min + " to 9, not '" + value + "'");
        }
    }
}
