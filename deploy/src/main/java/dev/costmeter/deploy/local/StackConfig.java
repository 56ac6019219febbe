package dev.costmeter.deploy.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the local stack keeps its data and which ports it binds. Defaults are the ones the README
 * documents: Kafka 9092 (controller 9093), registry 8081, metering-stream 8090, alerting-stream
 * 8091, Kafka Connect 8083, PostgreSQL 5432, on-call inbox 8099, data under {@code .costmeter/}.
 *
 * @param externalPostgres a JDBC URL (with user and password) of a PostgreSQL to use instead of
 *                         starting the embedded one
 * @param runApps          false: only Kafka, the topics and the registry (for benchmarks)
 */
public record StackConfig(Path dataDir, String host, Ports ports, String javaBinary, boolean runApps,
        Optional<ExternalPostgres> externalPostgres) {

    /** The ports of every component. */
    public record Ports(int kafka, int controller, int registry, int metering, int alerting, int connect, int postgres,
            int inbox) {

        public static final Ports DEFAULTS = new Ports(9092, 9093, 8081, 8090, 8091, 8083, 5432, 8099);
    }

    /** A PostgreSQL run elsewhere. */
    public record ExternalPostgres(String jdbcUrl, String user, String password) {
    }

    public StackConfig {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    public static StackConfig defaults(Path dataDir) {
        return new StackConfig(dataDir, "localhost", Ports.DEFAULTS,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), true, Optional.empty());
    }

    public StackConfig withPorts(Ports newPorts) {
        return new StackConfig(dataDir, host, newPorts, javaBinary, runApps, externalPostgres);
    }

    public StackConfig withExternalPostgres(ExternalPostgres postgres) {
        return new StackConfig(dataDir, host, ports, javaBinary, runApps, Optional.of(postgres));
    }

    /** Only Kafka, the topics and the registry: for benchmarks that run the apps themselves. */
    public StackConfig infrastructureOnly() {
        return new StackConfig(dataDir, host, ports, javaBinary, false, externalPostgres);
    }

    public String bootstrapServers() {
        return host + ":" + ports.kafka();
    }

    public String registryUrl() {
        return url(ports.registry());
    }

    public String meteringUrl() {
        return url(ports.metering());
    }

    public String alertingUrl() {
        return url(ports.alerting());
    }

    public String connectUrl() {
        return url(ports.connect());
    }

    public String inboxUrl() {
        return url(ports.inbox());
    }

    public ExternalPostgres postgres() {
        return externalPostgres.orElse(new ExternalPostgres(
                "jdbc:postgresql://" + host + ":" + ports.postgres() + "/postgres", "postgres", "postgres"));
    }

    private String url(int port) {
        return "http://" + host + ":" + port;
    }

    public Path stateDir(String app) {
        return dataDir.resolve("state").resolve(app);
    }

    public Path logDir() {
        return dataDir.resolve("logs");
    }

    /** The checkout's root: found from the working directory upwards (the launcher runs at the root, tests in a module). */
    public static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve("deploy").resolve("prices").resolve("catalog.yaml"))) {
                return dir;
            }
        }
        return Path.of("").toAbsolutePath();
    }

    /** The price catalog loaded at start. */
    public Path priceCatalog() {
        return checkoutRoot().resolve("deploy/prices/catalog.yaml");
    }

    /** The budgets loaded at start. */
    public Path budgets() {
        return checkoutRoot().resolve("deploy/budgets.yaml");
    }

    /** The built Connect plugins ({@code ./mvnw package} of sink-connectors). */
    public Path connectPluginPath() {
        return checkoutRoot().resolve("sink-connectors/target/plugin");
    }

    /** Connector configurations registered at start. */
    public Path connectorConfigDir() {
        return checkoutRoot().resolve("sink-connectors/src/main/config");
    }
}
