package dev.costmeter.registry;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schema registry until the process is stopped.
 *
 * <p>Usage: {@code RegistryMain [registry.properties]} (or {@code --config registry.properties}).
 * Properties (keys documented on {@link RegistryServerConfig}) come from the file (else the one
 * {@code COSTMETER_CONFIG_FILE} names), then {@code COSTMETER_*} environment variables override
 * them (see {@link EnvOverrides} and docs/configuration.md). Without {@code kafkastore.bootstrap.servers} schemas are kept in
 * memory and lost on exit.
 */
public final class RegistryMain {

  private static final String LOGBACK_CONFIG = "logback.configurationFile";

  private RegistryMain() {
  }

  public static void main(String[] args) {
    // Set before the first logger exists; an explicit -Dlogback.configurationFile still wins.
    if (System.getProperty(LOGBACK_CONFIG) == null) {
      System.setProperty(LOGBACK_CONFIG, "costmeter-registry-logback.xml");
    }
    Logger log = LoggerFactory.getLogger(RegistryMain.class);
    SchemaRegistryServer server;
    try {
      Properties properties = EnvOverrides.load(configFile(args), System.getenv());
      RegistryServerConfig config = RegistryServerConfig.fromProperties(properties);
      log.info("Starting schema registry with {}", config);
      if (config.kafkaBootstrapServers().isEmpty()) {
        log.warn("No {} configured: schemas are kept in memory and lost on exit",
            RegistryServerConfig.BOOTSTRAP_SERVERS_CONFIG);
      }
      server = SchemaRegistryServer.start(config);
    } catch (IOException | IllegalArgumentException | org.apache.kafka.common.config.ConfigException e) {
      log.error("Schema registry failed to start: {}", e.getMessage(), e);
      System.exit(1);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "registry-shutdown"));
    log.info("Schema registry ready at {}", server.baseUri());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Optional<Path> configFile(String[] args) {
    if (args.length >= 2 && args[0].equals("--config")) {
      return Optional.of(Path.of(args[1]));
    }
    return args.length > 0 ? Optional.of(Path.of(args[0])) : Optional.empty();
  }
}
