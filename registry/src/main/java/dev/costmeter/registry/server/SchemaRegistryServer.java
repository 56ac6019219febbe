package dev.costmeter.registry.server;

import com.sun.net.httpserver.HttpServer;
import dev.costmeter.registry.http.RegistryHttpHandler;
import dev.costmeter.registry.store.InMemorySchemaStore;
import dev.costmeter.registry.store.SchemaStore;
import dev.costmeter.registry.store.StoreException;
import dev.costmeter.registry.store.kafka.KafkaSchemaStore;
import dev.costmeter.registry.store.kafka.KafkaStoreConfig;
import dev.costmeter.registry.subjects.SubjectRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Confluent-Schema-Registry-compatible server (the REST subset Avro clients and serdes use), on
 * the JDK HTTP server. Schemas live in a compacted Kafka topic in Confluent's record format, or in
 * memory when no Kafka cluster is configured.
 *
 * <p>Exactly one server may write to a given topic: there is no leader election. Requests are
 * checked by {@link dev.costmeter.registry.auth.RegistryAccess} (basic auth with read and write
 * roles, read-only mode); without users the server refuses to listen on anything but a loopback
 * address unless {@link RegistryServerConfig#AUTH_DISABLED_CONFIG} is set.
 *
 * <pre>{@code
 * try (SchemaRegistryServer registry = SchemaRegistryServer.start(RegistryServerConfig.builder()
 *     .port(0).kafkaBootstrapServers(bootstrap).build())) {
 *   String url = registry.baseUri().toString();
 * }
 * }</pre>
 */
public final class SchemaRegistryServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SchemaRegistryServer.class);
  private static final int REQUEST_THREADS = 8;
  private static final long DRAIN_TIMEOUT_MS = 5_000;
  private static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, the client's
    // delayed ACK adds ~40 ms to every response. The server reads this property once, when its
    // first instance in the JVM is created, and only this property can turn TCP_NODELAY on.
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  private final HttpServer httpServer;
  private final ExecutorService requestThreads;
  private final InFlightRequests inFlight;
  private final SchemaStore store;
  private final URI baseUri;
  private final Object closeLock = new Object();
  private boolean closed;

  private SchemaRegistryServer(HttpServer httpServer, ExecutorService requestThreads,
      InFlightRequests inFlight, SchemaStore store, URI baseUri) {
    this.httpServer = httpServer;
    this.requestThreads = requestThreads;
    this.inFlight = inFlight;
    this.store = store;
    this.baseUri = baseUri;
  }

  /**
   * Starts a server. Returns once the store has caught up with its topic and the server accepts
   * requests.
   *
   * @throws IOException when the port cannot be bound or the store cannot start (topic unfit,
   *     cluster unreachable within {@link RegistryServerConfig#initTimeout()})
   */
  public static SchemaRegistryServer start(RegistryServerConfig config) throws IOException {
    // Bind first so that a port conflict fails fast, but serve only once the store caught up.
    HttpServer httpServer =
        HttpServer.create(new InetSocketAddress(config.host(), config.port()), 0);
    try {
      checkExposure(config, httpServer.getAddress());
    } catch (IllegalArgumentException e) {
      httpServer.stop(0);
      throw e;
    }
    SchemaStore store = null;
    ExecutorService requestThreads = null;
    try {
      store = openStore(config);
      SubjectRegistry registry = new SubjectRegistry(store, config.defaultCompatibilityLevel());
      InFlightRequests inFlight =
          new InFlightRequests(new RegistryHttpHandler(registry, config.access()));
      requestThreads = Executors.newFixedThreadPool(REQUEST_THREADS, new RequestThreads());
      httpServer.setExecutor(requestThreads);
      httpServer.createContext("/", inFlight);
      httpServer.start();
      URI baseUri = URI.create(
          "http://" + uriHost(config.host()) + ":" + httpServer.getAddress().getPort());
      log.info("Schema registry serving on {} (store: {})", baseUri,
          config.kafkaBootstrapServers().map(b -> "topic " + config.schemasTopic() + " on " + b)
              .orElse("in memory"));
      return new SchemaRegistryServer(httpServer, requestThreads, inFlight, store, baseUri);
    } catch (IOException | RuntimeException e) {
      httpServer.stop(0);
      if (requestThreads != null) {
        requestThreads.shutdownNow();
      }
      if (store != null) {
        store.close();
      }
      throw e;
    }
  }

  /** Where the server answers, e.g. {@code http://localhost:8081}. */
  public URI baseUri() {
    return baseUri;
  }

  /** The port the server listens on (the chosen one when configured with port 0). */
  public int port() {
    return baseUri.getPort();
  }

  /**
   * Stops accepting requests, lets those in flight finish (up to a few seconds), then closes the
   * store. Idempotent.
   */
  @Override
  public void close() {
    synchronized (closeLock) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (!inFlight.awaitIdle(DRAIN_TIMEOUT_MS)) {
      log.warn("Closing the schema registry with requests still in flight");
    }
    httpServer.stop(0);
    requestThreads.shutdown();
    try {
      if (!requestThreads.awaitTermination(DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        requestThreads.shutdownNow();
      }
    } catch (InterruptedException e) {
      requestThreads.shutdownNow();
      Thread.currentThread().interrupt();
    }
    store.close();
    log.info("Schema registry on {} closed", baseUri);
  }

  /** Refuses to let anyone who can connect write schemas, unless told so explicitly. */
  private static void checkExposure(RegistryServerConfig config, InetSocketAddress bound) {
    if (config.requiresCredentials()) {
      return;
    }
    boolean loopback = bound.getAddress() != null && bound.getAddress().isLoopbackAddress();
    if (loopback) {
      return;
    }
    String where = bound.getHostString() + ":" + bound.getPort();
    if (!config.authDisabled()) {
      throw new IllegalArgumentException("The schema registry would listen on " + where
          + ", which is not a loopback address, with no users: set "
          + RegistryServerConfig.AUTH_USERS_CONFIG + "=file:<path> (COSTMETER_REGISTRY_AUTH_USERS), listen on"
          + " 127.0.0.1, or set " + RegistryServerConfig.AUTH_DISABLED_CONFIG
          + "=true (COSTMETER_REGISTRY_AUTH_DISABLED) to let anyone who can connect register and delete schemas");
    }
    log.warn("!!! SCHEMA REGISTRY AUTHENTICATION DISABLED ({}=true): anyone who can reach {} may"
        + " register, delete and change the compatibility of schemas. !!!",
        RegistryServerConfig.AUTH_DISABLED_CONFIG, where);
  }

  private static SchemaStore openStore(RegistryServerConfig config) throws IOException {
    if (config.kafkaBootstrapServers().isEmpty()) {
      return new InMemorySchemaStore();
    }
    try {
      return KafkaSchemaStore.start(new KafkaStoreConfig(config.kafkaBootstrapServers().get(),
          config.schemasTopic(), config.topicReplicationFactor(), config.kafkaClientProperties(),
          config.initTimeout(), config.writeTimeout()));
    } catch (StoreException e) {
      throw new IOException("Cannot start the schema store: " + e.getMessage(), e);
    }
  }

  private static String uriHost(String host) {
    if ("0.0.0.0".equals(host) || "::".equals(host) || "[::]".equals(host)) {
      return "localhost";
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }

  private static final class RequestThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "registry-http-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
