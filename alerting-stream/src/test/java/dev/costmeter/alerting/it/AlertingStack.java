package dev.costmeter.alerting.it;

import dev.costmeter.alerting.AlertingApp;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * alerting-stream on a real broker: the registry server storing schemas in the cluster's
 * {@code _schemas} topic, costmeter's topics under unique names, and the app started in-JVM.
 */
final class AlertingStack implements AutoCloseable {

    private final String applicationId;

    final KafkaCluster cluster;
    final SchemaRegistryServer registry;
    final Map<String, String> topics = new HashMap<>();
    final StreamsApp app;

    /** The app's configuration, as this stack runs it in-JVM (or hands it to a child process). */
    final Map<String, String> config;

    AlertingStack(KafkaCluster cluster, int partitions, Map<String, String> overrides) throws IOException {
        this(cluster, partitions, overrides, true);
    }

    /** With {@code startApp} false the topics and registry are ready but the app is left to the caller. */
    AlertingStack(KafkaCluster cluster, int partitions, Map<String, String> overrides, boolean startApp) throws IOException {
        this.cluster = cluster;
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0)
                .kafkaBootstrapServers(cluster.bootstrapServers()).schemasTopic(cluster.uniqueName("_schemas")).build());
        for (String logical : List.of("usage", "ledger", "rollups", "budgets", "prices", "alerts", "control", "usage-dlq")) {
            String name = cluster.uniqueTopicName("llm." + logical);
            boolean compacted = logical.equals("budgets") || logical.equals("control") || logical.equals("prices");
            // alerts are keyed by dedup key: only a single partition shows a consumer one scope's
            // ladder in emission order (the local stack's 3 partitions keep order per dedup key only)
            boolean single = compacted || logical.equals("alerts") || logical.equals("usage-dlq");
            cluster.createTopic(name, single ? 1 : partitions,
                    compacted ? Map.of("cleanup.policy", "compact") : Map.of());
            topics.put("topic." + logical, name);
        }
        Map<String, String> config = new HashMap<>(AlertingApp.defaults());
        config.putAll(topics);
        config.put("bootstrap.servers", cluster.bootstrapServers());
        config.put("schema.registry.url", registryUrl());
        applicationId = cluster.uniqueName("alerting");
        config.put("application.id", applicationId);
        config.put("state.dir", cluster.streamsProps("alerting").get("state.dir").toString());
        config.put("http.port", "0");
        config.put("replication.factor", Short.toString(cluster.defaultReplicationFactor()));
        config.put(AlertingApp.CONTROL_SIGNING_KEY, KEYS.signingKeyText());
        config.put(AlertingApp.CONTROL_VERIFY_KEYS, KEYS.verifyKeyText());
        config.putAll(overrides);
        this.config = Map.copyOf(config);
        app = startApp ? AlertingApp.create(AppConfig.of(AlertingApp.APP_NAME, config)).start() : null;
    }

    /** The kill-switch key pair alerting signs with in these tests (generated for the run). */
    static final ControlKeyPair KEYS = ControlKeyPair.generate("alerting-it");

    String registryUrl() {
        return registry.baseUri().toString();
    }

    /** The alerting app's application.id, also its consumer group. */
    String applicationId() {
        return applicationId;
    }

    String topic(String logical) {
        return topics.get("topic." + logical);
    }

    <T extends SpecificRecord> KafkaProducer<String, T> producer() {
        AvroSerializer<T> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registryUrl()), false);
        Map<String, Object> props = cluster.producerProps();
        props.put("linger.ms", 5);
        return new KafkaProducer<>(props, new StringSerializer(), serializer);
    }

    <T extends SpecificRecord> KafkaConsumer<String, T> consumer(Class<T> type, String topic) {
        AvroDeserializer<T> deserializer = new AvroDeserializer<>(type);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl(), "specific.avro.reader", "true"), false);
        KafkaConsumer<String, T> consumer = new KafkaConsumer<>(cluster.consumerProps(cluster.uniqueName("reader")),
                new StringDeserializer(), deserializer);
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    @Override
    public void close() {
        if (app != null) {
            app.close();
        }
        registry.close();
    }
}
