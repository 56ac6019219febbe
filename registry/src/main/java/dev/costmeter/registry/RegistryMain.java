package dev.costmeter.registry;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the schema registry until the process is stopped.
 *
 * <p>Usage: {@code RegistryMain [registry.properties]}. Properties (keys documented on {@link
 * RegistryServerConfig}) come from the optional file, then environment variables override them
 * (see {@link EnvOverrides}). Without {@code kafkastore.bootstrap.servers} schemas are kept in
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
      Properties properties = EnvOverrides.apply(System.getenv(), load(args));
      RegistryServerConfig config = RegistryServerConfig.fromProperties(properties);
      log.info("Starting schema registry with {}", config);
      if (config.kafkaBootstrapServers().isEmpty()) {
        log.warn("No {} configured: schemas are kept in memory and lost on exit",
            RegistryServerConfig.BOOTSTRAP_SERVERS_CONFIG);
      }
      server = SchemaRegistryServer.start(config);
    } catch (IOException | IllegalArgumentException e) {
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

  private static Properties load(String[] args) throws IOException {
    Properties properties = new Properties();
    if (args.length > 0) {
      try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
        properties.load(in);
      }
    }
    return properties;
  }
}
