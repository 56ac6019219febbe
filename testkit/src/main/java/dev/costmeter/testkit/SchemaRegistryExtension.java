package dev.costmeter.testkit;

import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Optional;

import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives a test class our schema registry, storing its schemas on the class's Kafka cluster:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
 * @RegisterExtension
 * static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);
 *
 * serdeConfig.put("schema.registry.url", REGISTRY.url());
 * }</pre>
 *
 * <p>The server listens on an ephemeral port of 127.0.0.1 and keeps its schemas in the topic
 * {@link #schemasTopic()}, replicated like {@link KafkaCluster#createTopic} does. It starts after
 * the Kafka cluster and stops before it, in whichever order JUnit runs the two extensions.
 *
 * <p>When {@code SCHEMA_REGISTRY_URL} (environment or system property) is set, that registry is
 * used instead and nothing is started.
 */
public final class SchemaRegistryExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistryExtension.class);
    private static final String SCHEMAS_TOPIC = "_schemas";

    private final KafkaClusterExtension kafka;
    private final ClassScoped<Registry> registry = new ClassScoped<>("Schema registry", Registry::close);

    private SchemaRegistryExtension(KafkaClusterExtension kafka) {
        this.kafka = kafka;
        kafka.beforeStopping(this::stopIfRunning);
    }

    /** A registry storing its schemas on {@code kafka}'s cluster. */
    public static SchemaRegistryExtension on(KafkaClusterExtension kafka) {
        return new SchemaRegistryExtension(kafka);
    }

    /** Base URL of the registry, such as {@code http://127.0.0.1:41234}, without a trailing slash. */
    public String url() {
        return registry.get().url();
    }

    /** Topic holding the schemas; empty when an external registry is used. */
    public Optional<String> schemasTopic() {
        return registry.get().schemasTopic();
    }

    /**
     * Stops the server and starts a new one on the same topic, which reads every schema back from
     * Kafka. It listens on the same port when that is still free, else on a new one: read
     * {@link #url()} again after a restart.
     *
     * @throws UnsupportedOperationException for an external registry
     */
    public void restart() throws IOException {
        registry.get().restart();
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        registry.acquire(context, () -> start(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        registry.get();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        registry.release(context);
    }

    private void stopIfRunning() {
        try {
            registry.releaseAny();
        } catch (Exception e) {
            LOG.warn("Could not stop the schema registry before its Kafka cluster", e);
        }
    }

    private Registry start(ExtensionContext context) throws IOException {
        Optional<String> external = TestEnvironment.get(TestEnvironment.SCHEMA_REGISTRY_URL);
        if (external.isPresent()) {
            return Registry.external(stripTrailingSlash(external.get()));
        }
        KafkaCluster cluster;
        try {
            // JUnit may run this callback before the Kafka extension's; starting it here is what
            // that callback would do.
            cluster = kafka.start(context);
        } catch (Exception e) {
            throw new IOException("Could not start the Kafka cluster the schema registry needs", e);
        }
        // A shared external cluster may hold another run's registry topic.
        String topic = cluster.mode() == KafkaCluster.Mode.EXTERNAL ? cluster.uniqueName(SCHEMAS_TOPIC) : SCHEMAS_TOPIC;
        RegistryServerConfig.Builder config = RegistryServerConfig.builder()
                .host("127.0.0.1")
                .kafkaBootstrapServers(cluster.bootstrapServers())
                .schemasTopic(topic)
                .topicReplicationFactor(cluster.defaultReplicationFactor());
        long startedAt = System.nanoTime();
        Registry started = Registry.start(config, topic);
        LOG.info("Schema registry for {} ready in {} ms at {} (topic {})", context.getDisplayName(),
                Duration.ofNanos(System.nanoTime() - startedAt).toMillis(), started.url(), topic);
        return started;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** A server the extension runs, or the URL of one it does not. */
    private static final class Registry {
        private final RegistryServerConfig.Builder config;
        private final String topic;
        private final String externalUrl;
        private SchemaRegistryServer server;

        private Registry(RegistryServerConfig.Builder config, String topic, SchemaRegistryServer server,
                String externalUrl) {
            this.config = config;
            this.topic = topic;
            this.server = server;
            this.externalUrl = externalUrl;
        }

        static Registry external(String url) {
            return new Registry(null, null, null, url);
        }

        static Registry start(RegistryServerConfig.Builder config, String topic) throws IOException {
            return new Registry(config, topic, SchemaRegistryServer.start(config.port(0).build()), null);
        }

        synchronized String url() {
            return externalUrl != null ? externalUrl : stripTrailingSlash(server.baseUri().toString());
        }

        Optional<String> schemasTopic() {
            return Optional.ofNullable(topic);
        }

        synchronized void restart() throws IOException {
            if (externalUrl != null) {
                throw new UnsupportedOperationException("Cannot restart the external registry at " + externalUrl);
            }
            int port = server.port();
            server.close();
            try {
                server = SchemaRegistryServer.start(config.port(port).build());
            } catch (BindException e) {
                LOG.info("Port {} is taken; the restarted schema registry listens on another one", port);
                server = SchemaRegistryServer.start(config.port(0).build());
            }
        }

        synchronized void close() {
            if (server != null) {
                server.close();
                server = null;
            }
        }
    }
}
