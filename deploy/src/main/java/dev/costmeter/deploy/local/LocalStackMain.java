package dev.costmeter.deploy.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code costmeter up}: starts the local stack in the foreground and stops it, in order, on Ctrl-C.
 *
 * <p>Options: {@code --demo} runs simulated services and a live view; {@code --data-dir DIR} (default {@code .costmeter}); {@code --postgres-url JDBC_URL} to use an
 * external PostgreSQL (user and password from {@code COSTMETER_PG_USER} / {@code COSTMETER_PG_PASSWORD});
 * ports {@code --kafka-port} (9092), {@code --controller-port} (9093), {@code --registry-port} (8081),
 * {@code --metering-port} (8090), {@code --alerting-port} (8091), {@code --connect-port} (8083),
 * {@code --postgres-port} (5432), {@code --inbox-port} (8099).
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean demo = java.util.Arrays.asList(args).contains("--demo");
        String[] stackArgs = java.util.Arrays.stream(args).filter(a -> !a.equals("--demo")).toArray(String[]::new);
        StackConfig config;
        try {
            config = parse(stackArgs);
        } catch (IllegalArgumentException e) {
            System.err.println("costmeter up: " + e.getMessage());
            System.err.println("usage: costmeter up [--demo] [--data-dir DIR] [--postgres-url JDBC_URL] [--<component>-port N ...]");
            System.exit(2);
            return;
        }
        System.out.println("costmeter: starting the local stack, data in " + config.dataDir());
        LocalStack stack;
        try {
            stack = LocalStack.start(config);
        } catch (LocalStack.StackStartException e) {
            System.err.println("costmeter: " + e.getMessage());
            System.exit(1);
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Demo> demoRun = new java.util.concurrent.atomic.AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("costmeter: stopping the local stack");
            Demo running = demoRun.get();
            if (running != null) {
                running.close();
            }
            stack.close();
            stopped.countDown();
        }, "costmeter-shutdown"));

        System.out.println();
        System.out.println("costmeter is up:");
        System.out.println("  Kafka            " + stack.bootstrapServers());
        System.out.println("  Schema registry  " + stack.registryUrl());
        System.out.println("  Metering API     " + stack.meteringUrl() + "  (/v1/spend, /v1/tasks, /v1/top-tasks, /metrics)");
        System.out.println("  Alerting         " + config.alertingUrl() + "  (/health/ready, /metrics)");
        System.out.println("  Kafka Connect    " + config.connectUrl() + "  (ledger sink -> PostgreSQL, alert sink -> inbox)");
        System.out.println("  PostgreSQL       " + config.postgres().jdbcUrl() + "  (schema costmeter)");
        System.out.println("  On-call inbox    " + config.inboxUrl() + "  (pages printed here, kept in " + config.dataDir().resolve("inbox") + ")");
        System.out.println("  Logs             " + config.logDir());
        System.out.println("Press Ctrl-C to stop.");

        if (demo) {
            demoRun.set(Demo.start(stack));
        }
        ChildProcess failed = stack.awaitFailure();
        if (failed != null) {
            System.err.println("costmeter: " + failed.failure("exited unexpectedly with code " + failed.process().exitValue()));
            System.exit(1);
        }
        stopped.await();
    }

    static StackConfig parse(String[] args) {
        Path dataDir = Path.of(".costmeter");
        StackConfig.Ports d = StackConfig.Ports.DEFAULTS;
        int[] ports = {d.kafka(), d.controller(), d.registry(), d.metering(), d.alerting(), d.connect(), d.postgres(), d.inbox()};
        String pgUrl = null;
        String pgUser = System.getenv().getOrDefault("COSTMETER_PG_USER", "postgres");
        String pgPassword = System.getenv().getOrDefault("COSTMETER_PG_PASSWORD", "");
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
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
                case "--postgres-url" -> pgUrl = value;
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        StackConfig config = StackConfig.defaults(dataDir).withPorts(new StackConfig.Ports(ports[0], ports[1], ports[2],
                ports[3], ports[4], ports[5], ports[6], ports[7]));
        if (pgUrl != null) {
            config = config.withExternalPostgres(new StackConfig.ExternalPostgres(pgUrl, pgUser, pgPassword));
        }
        return config;
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
}
