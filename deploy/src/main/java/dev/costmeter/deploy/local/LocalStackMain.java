package dev.costmeter.deploy.local;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code costmeter up}: starts the local stack in the foreground and stops it, in order, on Ctrl-C.
 *
 * <p>Options: {@code --data-dir DIR} (default {@code .costmeter}), {@code --kafka-port N} (9092),
 * {@code --controller-port N} (9093), {@code --registry-port N} (8081), {@code --metering-port N} (8090).
 */
public final class LocalStackMain {

    private LocalStackMain() {
    }

    public static void main(String[] args) throws Exception {
        StackConfig config;
        try {
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("costmeter up: " + e.getMessage());
            System.err.println("usage: costmeter up [--data-dir DIR] [--kafka-port N] [--controller-port N] [--registry-port N] [--metering-port N]");
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
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("costmeter: stopping the local stack");
            stack.close();
            stopped.countDown();
        }, "costmeter-shutdown"));

        System.out.println();
        System.out.println("costmeter is up:");
        System.out.println("  Kafka            " + stack.bootstrapServers());
        System.out.println("  Schema registry  " + stack.registryUrl());
        System.out.println("  Metering API     " + stack.meteringUrl() + "  (/v1/spend, /v1/tasks, /v1/top-tasks, /metrics)");
        System.out.println("  Logs             " + config.logDir());
        System.out.println("Press Ctrl-C to stop.");

        ChildProcess failed = stack.awaitFailure();
        if (failed != null) {
            System.err.println("costmeter: " + failed.failure("exited unexpectedly with code " + failed.process().exitValue()));
            System.exit(1);
        }
        stopped.await();
    }

    static StackConfig parse(String[] args) {
        Path dataDir = Path.of(".costmeter");
        int kafka = StackConfig.DEFAULT_KAFKA_PORT;
        int controller = StackConfig.DEFAULT_CONTROLLER_PORT;
        int registry = StackConfig.DEFAULT_REGISTRY_PORT;
        int metering = StackConfig.DEFAULT_METERING_PORT;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value for " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--data-dir" -> dataDir = Path.of(value);
                case "--kafka-port" -> kafka = port(option, value);
                case "--controller-port" -> controller = port(option, value);
                case "--registry-port" -> registry = port(option, value);
                case "--metering-port" -> metering = port(option, value);
                default -> throw new IllegalArgumentException("unknown option " + option);
            }
        }
        return StackConfig.defaults(dataDir).withPorts(kafka, controller, registry, metering);
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
