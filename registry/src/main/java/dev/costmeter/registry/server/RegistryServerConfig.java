package dev.costmeter.registry.server;

import dev.costmeter.registry.auth.RegistryAccess;
import dev.costmeter.registry.auth.RegistryUsers;
import dev.costmeter.registry.compat.CompatibilityLevel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Immutable configuration of a {@link SchemaRegistryServer}, built with {@link #builder()} or read
 * from properties with {@link #fromProperties(Properties)}.
 *
 * <p>Without Kafka bootstrap servers the server keeps schemas in memory only, which suits unit
 * tests; anything else should run on a Kafka topic.
 *
 * <h2>Property keys</h2>
 * Names follow Confluent Schema Registry where it has an equivalent.
 * <table>
 *   <caption>Keys read by {@link #fromProperties(Properties)}</caption>
 *   <tr><th>Key</th><th>Default</th><th>Meaning</th></tr>
 *   <tr><td>{@value #HOST_CONFIG}</td><td>127.0.0.1</td><td>address to listen on; anything but
 *       a loopback address needs {@value #AUTH_USERS_CONFIG} or {@value #AUTH_DISABLED_CONFIG}</td></tr>
 *   <tr><td>{@value #AUTH_USERS_CONFIG}</td><td>(none)</td><td>{@code file:<path>} of basic-auth
 *       users, password hashes and roles (see {@link RegistryUsers}); every request then needs
 *       credentials</td></tr>
 *   <tr><td>{@value #AUTH_DISABLED_CONFIG}</td><td>false</td><td>true to serve a non-loopback
 *       address without users (anyone may then register and delete schemas)</td></tr>
 *   <tr><td>{@value #READ_ONLY_CONFIG}</td><td>false</td><td>true to refuse every write</td></tr>
 *   <tr><td>{@value #PORT_CONFIG}</td><td>8081</td><td>port to listen on; 0 picks a free
 *       one</td></tr>
 *   <tr><td>{@value #BOOTSTRAP_SERVERS_CONFIG}</td><td>(none: in memory)</td><td>Kafka cluster
 *       holding the schemas topic</td></tr>
 *   <tr><td>{@value #TOPIC_CONFIG}</td><td>_schemas</td><td>compacted, single-partition topic of
 *       the log; created if missing</td></tr>
 *   <tr><td>{@value #TOPIC_REPLICATION_FACTOR_CONFIG}</td><td>1</td><td>replication factor used
 *       when creating the topic</td></tr>
 *   <tr><td>{@value #COMPATIBILITY_LEVEL_CONFIG}</td><td>BACKWARD</td><td>global compatibility
 *       level until one is set over REST</td></tr>
 *   <tr><td>{@value #INIT_TIMEOUT_CONFIG}</td><td>60000</td><td>milliseconds start-up may take to
 *       set up the topic and read it to its end</td></tr>
 *   <tr><td>{@value #WRITE_TIMEOUT_CONFIG}</td><td>10000</td><td>milliseconds a write may take until
 *       read back</td></tr>
 *   <tr><td>{@value #CLIENT_PREFIX}*</td><td></td><td>any other key with this prefix is passed,
 *       without it, to the Kafka clients, e.g. {@code kafkastore.security.protocol}</td></tr>
 * </table>
 */
public final class RegistryServerConfig {

  public static final String HOST_CONFIG = "registry.host";
  public static final String PORT_CONFIG = "registry.port";
  public static final String BOOTSTRAP_SERVERS_CONFIG = "kafkastore.bootstrap.servers";
  public static final String TOPIC_CONFIG = "kafkastore.topic";
  public static final String TOPIC_REPLICATION_FACTOR_CONFIG =
      "kafkastore.topic.replication.factor";
  public static final String COMPATIBILITY_LEVEL_CONFIG = "schema.compatibility.level";
  public static final String INIT_TIMEOUT_CONFIG = "kafkastore.init.timeout.ms";
  public static final String WRITE_TIMEOUT_CONFIG = "kafkastore.timeout.ms";
  public static final String CLIENT_PREFIX = "kafkastore.";
  public static final String AUTH_USERS_CONFIG = "registry.auth.users";
  public static final String AUTH_DISABLED_CONFIG = "registry.auth.disabled";
  public static final String READ_ONLY_CONFIG = "registry.read.only";

  private static final String REDACTED = "[redacted]";

  private final String host;
  private final int port;
  private final String kafkaBootstrapServers;
  private final String schemasTopic;
  private final short topicReplicationFactor;
  private final CompatibilityLevel defaultCompatibility;
  private final Map<String, Object> kafkaClientProperties;
  private final Duration initTimeout;
  private final Duration writeTimeout;
  private final RegistryUsers users;
  private final boolean authDisabled;
  private final boolean readOnly;

  private RegistryServerConfig(Builder builder) {
    this.host = requireText(builder.host, "host");
    if (builder.port < 0 || builder.port > 65_535) {
      throw new IllegalArgumentException("port must be between 0 and 65535: " + builder.port);
    }
    this.port = builder.port;
    this.kafkaBootstrapServers = builder.kafkaBootstrapServers == null
        || builder.kafkaBootstrapServers.isBlank() ? null : builder.kafkaBootstrapServers.trim();
    this.schemasTopic = requireText(builder.schemasTopic, "schemasTopic");
    if (builder.topicReplicationFactor < 1) {
      throw new IllegalArgumentException(
          "topicReplicationFactor must be at least 1: " + builder.topicReplicationFactor);
    }
    this.topicReplicationFactor = builder.topicReplicationFactor;
    this.defaultCompatibility = CompatibilityLevel.parse(builder.defaultCompatibility)
        .orElseThrow(() -> new IllegalArgumentException("Unknown compatibility level '"
            + builder.defaultCompatibility + "'; expected one of NONE, BACKWARD,"
            + " BACKWARD_TRANSITIVE, FORWARD, FORWARD_TRANSITIVE, FULL, FULL_TRANSITIVE"));
    this.kafkaClientProperties = Map.copyOf(builder.kafkaClientProperties);
    this.initTimeout = requirePositive(builder.initTimeout, "initTimeout");
    this.writeTimeout = requirePositive(builder.writeTimeout, "writeTimeout");
    if (builder.users != null && builder.authDisabled) {
      throw new IllegalArgumentException(AUTH_DISABLED_CONFIG + "=true contradicts "
          + AUTH_USERS_CONFIG + ": remove one of them");
    }
    this.users = builder.users;
    this.authDisabled = builder.authDisabled;
    this.readOnly = builder.readOnly;
  }

  /** A builder with every default set. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads a configuration from properties; see the class documentation for the keys. Absent keys
   * keep their defaults.
   *
   * @throws IllegalArgumentException naming the key of a value that cannot be used
   */
  public static RegistryServerConfig fromProperties(Properties properties) {
    Builder builder = builder();
    Map<String, Object> clientProperties = new LinkedHashMap<>();
    for (String key : properties.stringPropertyNames()) {
      String value = properties.getProperty(key).trim();
      switch (key) {
        case HOST_CONFIG -> builder.host(value);
        case PORT_CONFIG -> builder.port(parseInt(key, value));
        case BOOTSTRAP_SERVERS_CONFIG -> builder.kafkaBootstrapServers(value);
        case TOPIC_CONFIG -> builder.schemasTopic(value);
        case TOPIC_REPLICATION_FACTOR_CONFIG ->
            builder.topicReplicationFactor((short) parseInt(key, value));
        case COMPATIBILITY_LEVEL_CONFIG -> builder.defaultCompatibility(value);
        case INIT_TIMEOUT_CONFIG -> builder.initTimeout(Duration.ofMillis(parseInt(key, value)));
        case WRITE_TIMEOUT_CONFIG -> builder.writeTimeout(Duration.ofMillis(parseInt(key, value)));
        case AUTH_USERS_CONFIG -> {
          if (!value.isEmpty()) {
            builder.users(loadUsers(value));
          }
        }
        case AUTH_DISABLED_CONFIG -> builder.authDisabled(parseBoolean(key, value));
        case READ_ONLY_CONFIG -> builder.readOnly(parseBoolean(key, value));
        default -> {
          if (key.startsWith(CLIENT_PREFIX)) {
            clientProperties.put(key.substring(CLIENT_PREFIX.length()), value);
          }
        }
      }
    }
    return builder.kafkaClientProperties(clientProperties).build();
  }

  /** The address to listen on. */
  public String host() {
    return host;
  }

  /** The port to listen on; 0 means any free port. */
  public int port() {
    return port;
  }

  /** The Kafka cluster of the schemas topic; empty means an in-memory store. */
  public Optional<String> kafkaBootstrapServers() {
    return Optional.ofNullable(kafkaBootstrapServers);
  }

  /** The compacted, single-partition topic the schemas are stored in. */
  public String schemasTopic() {
    return schemasTopic;
  }

  /** The replication factor used when the server creates the schemas topic. */
  public short topicReplicationFactor() {
    return topicReplicationFactor;
  }

  /** The global compatibility level until one is set over REST, e.g. {@code BACKWARD}. */
  public String defaultCompatibility() {
    return defaultCompatibility.name();
  }

  CompatibilityLevel defaultCompatibilityLevel() {
    return defaultCompatibility;
  }

  /** Extra properties for every Kafka client of the store, such as security settings. */
  public Map<String, Object> kafkaClientProperties() {
    return kafkaClientProperties;
  }

  /** How long start-up may take to set up the topic and read it to its end. */
  public Duration initTimeout() {
    return initTimeout;
  }

  /** How long one write may take until the store has read it back. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /** Who may do what: the users (if any) and the read-only mode. */
  public RegistryAccess access() {
    return new RegistryAccess(users, readOnly);
  }

  /**
   * Whether the server may listen where others can reach it without users: only when
   * {@value #AUTH_DISABLED_CONFIG} says so.
   */
  public boolean authDisabled() {
    return authDisabled;
  }

  /** Whether every request needs basic-auth credentials. */
  public boolean requiresCredentials() {
    return users != null;
  }

  /** Describes the configuration with secret-looking client properties redacted. */
  @Override
  public String toString() {
    Map<String, Object> clients = new TreeMap<>();
    kafkaClientProperties.forEach((key, value) -> clients.put(key, isSecret(key) ? REDACTED : value));
    return "RegistryServerConfig{host=" + host + ", port=" + port
        + ", kafkaBootstrapServers=" + (kafkaBootstrapServers == null ? "(in memory)"
        : kafkaBootstrapServers)
        + ", schemasTopic=" + schemasTopic + ", topicReplicationFactor=" + topicReplicationFactor
        + ", defaultCompatibility=" + defaultCompatibility + ", kafkaClientProperties=" + clients
        + ", initTimeout=" + initTimeout + ", writeTimeout=" + writeTimeout
        + ", auth=" + (users != null ? users.size() + " users" : authDisabled ? "DISABLED" : "none (loopback only)")
        + ", readOnly=" + readOnly + "}";
  }

  private static boolean isSecret(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    return lower.contains("password") || lower.contains("jaas") || lower.contains("secret")
        || lower.contains("credentials") || lower.contains("token");
  }

  private static int parseInt(String key, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be an integer: '" + value + "'", e);
    }
  }

  private static RegistryUsers loadUsers(String value) {
    if (!value.startsWith("file:") || value.length() == "file:".length()) {
      throw new IllegalArgumentException(AUTH_USERS_CONFIG + " must be file:<path> of a users file: '"
          + value + "'");
    }
    return RegistryUsers.load(Path.of(value.substring("file:".length())));
  }

  private static boolean parseBoolean(String key, String value) {
    if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(value);
    }
    throw new IllegalArgumentException(key + " must be true or false: '" + value + "'");
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value.trim();
  }

  private static Duration requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
    return value;
  }

  /** Builds a {@link RegistryServerConfig}; every setting has a default. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 8081;
    private String kafkaBootstrapServers;
    private String schemasTopic = "_schemas";
    private short topicReplicationFactor = 1;
    private String defaultCompatibility = "BACKWARD";
    private Map<String, Object> kafkaClientProperties = Map.of();
    private Duration initTimeout = Duration.ofSeconds(60);
    private Duration writeTimeout = Duration.ofSeconds(10);
    private RegistryUsers users;
    private boolean authDisabled;
    private boolean readOnly;

    private Builder() {
    }

    /** Basic-auth users; default none (no credentials asked, so only a loopback address is served). */
    public Builder users(RegistryUsers users) {
      this.users = users;
      return this;
    }

    /** True to serve a non-loopback address without users; default false. */
    public Builder authDisabled(boolean authDisabled) {
      this.authDisabled = authDisabled;
      return this;
    }

    /** True to refuse every write; default false. */
    public Builder readOnly(boolean readOnly) {
      this.readOnly = readOnly;
      return this;
    }

    /** The address to listen on; default {@code 127.0.0.1}. */
    public Builder host(String host) {
      this.host = host;
      return this;
    }

    /** The port to listen on; default 8081, 0 picks a free port. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /** The Kafka cluster to store schemas in; null (the default) keeps them in memory. */
    public Builder kafkaBootstrapServers(String kafkaBootstrapServers) {
      this.kafkaBootstrapServers = kafkaBootstrapServers;
      return this;
    }

    /** The schemas topic; default {@code _schemas}. */
    public Builder schemasTopic(String schemasTopic) {
      this.schemasTopic = schemasTopic;
      return this;
    }

    /** The replication factor for creating the schemas topic; default 1. */
    public Builder topicReplicationFactor(short topicReplicationFactor) {
      this.topicReplicationFactor = topicReplicationFactor;
      return this;
    }

    /** The global compatibility level until one is set over REST; default {@code BACKWARD}. */
    public Builder defaultCompatibility(String defaultCompatibility) {
      this.defaultCompatibility = defaultCompatibility;
      return this;
    }

    /** Extra properties for the store's Kafka clients (security etc.); default none. */
    public Builder kafkaClientProperties(Map<String, Object> kafkaClientProperties) {
      this.kafkaClientProperties = Map.copyOf(
          Objects.requireNonNull(kafkaClientProperties, "kafkaClientProperties"));
      return this;
    }

    /** How long start-up may take to set up and read the topic; default 60 seconds. */
    public Builder initTimeout(Duration initTimeout) {
      this.initTimeout = initTimeout;
      return this;
    }

    /** How long a write may take until read back; default 10 seconds. */
    public Builder writeTimeout(Duration writeTimeout) {
      this.writeTimeout = writeTimeout;
      return this;
    }

    /**
     * Validates and builds the configuration.
     *
     * @throws IllegalArgumentException for a value that cannot be used
     */
    public RegistryServerConfig build() {
      return new RegistryServerConfig(this);
    }
  }
}
