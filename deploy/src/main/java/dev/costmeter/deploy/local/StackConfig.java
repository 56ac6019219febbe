package dev.costmeter.deploy.local;

import java.nio.file.Path;

/**
 * Where the local stack keeps its data and which ports it binds. Defaults are the ones the README
 * documents: Kafka on 9092 (controller 9093), the registry on 8081, metering-stream's API on 8090, data under {@code .costmeter/}.
 */
public record StackConfig(Path dataDir, String host, int kafkaPort, int controllerPort, int registryPort, int meteringPort,
        String javaBinary, boolean runApps) {

    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_CONTROLLER_PORT = 9093;
    public static final int DEFAULT_REGISTRY_PORT = 8081;
    public static final int DEFAULT_METERING_PORT = 8090;

    public StackConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static StackConfig defaults(Path dataDir) {
        return new StackConfig(dataDir, "localhost", DEFAULT_KAFKA_PORT, DEFAULT_CONTROLLER_PORT, DEFAULT_REGISTRY_PORT,
                DEFAULT_METERING_PORT, Path.of(System.getProperty("java.home"), "bin", "java").toString(), true);
    }

    public StackConfig withPorts(int kafka, int controller, int registry, int metering) {
        return new StackConfig(dataDir, host, kafka, controller, registry, metering, javaBinary, runApps);
    }

    /** Only Kafka, the topics and the registry: for benchmarks that run the apps themselves. */
    public StackConfig infrastructureOnly() {
        return new StackConfig(dataDir, host, kafkaPort, controllerPort, registryPort, meteringPort, javaBinary, false);
    }

    public String bootstrapServers() {
        return host + ":" + kafkaPort;
    }

    public String registryUrl() {
        return "http://" + host + ":" + registryPort;
    }

    public String meteringUrl() {
        return "http://" + host + ":" + meteringPort;
    }

    public Path stateDir(String app) {
        return dataDir.resolve("state").resolve(app);
    }

    /**
     * The price catalog loaded at start: {@code deploy/prices/catalog.yaml} of the checkout, found
     * from the working directory upwards (the launcher runs at the root, tests in a module).
     */
    public Path priceCatalog() {
        Path relative = Path.of("deploy", "prices", "catalog.yaml");
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        return relative.toAbsolutePath();
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }
}
