package dev.costmeter.connect.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.connect.fixtures.ConnectWorker;
import dev.costmeter.connect.fixtures.Poll;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.connect.fixtures.WebhookServer;
import dev.costmeter.connect.fixtures.WebhookServer.Answer;
import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.Severity;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The built plugin in a real Connect worker delivering to a real local HTTP server that stands in
 * for PagerDuty and for webhooks that fail.
 */
class AlertSinkIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SchemaRegistryServer registry;
    private static WebhookServer webhooks;
    private static ConnectWorker worker;

    @BeforeAll
    static void start() throws Exception {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder().host("127.0.0.1").port(0)
                .kafkaBootstrapServers(KAFKA.cluster().bootstrapServers()).build());
        webhooks = new WebhookServer()
                .script("/pagerduty/v2/enqueue", new Answer(202, Map.of(), "{\"status\":\"success\"}"))
                .script("/flaky", Answer.of(500), Answer.of(200))
                .script("/bad", new Answer(400, Map.of(), "{\"message\":\"Event object is invalid\"}"));
        worker = ConnectWorker.start(KAFKA.cluster().bootstrapServers(), KAFKA.cluster().uniqueName("connect"));
    }

    @AfterAll
    static void stop() {
        worker.close();
        webhooks.close();
        registry.close();
    }

    @Test
    void shouldPointTheWorkersValidationAtTheFieldAtFaultWithoutEchoingSecrets() throws Exception {
        Map<String, String> config = base("llm.alerts.v1");
        config.put("endpoints", "pd");
        config.put("endpoint.pd.url", "https://events.pagerduty.com/v2/enqueue?token=S3CR3T");
        config.put("endpoint.pd.format", "pagerduty");
        config.put("name", "validate-only");
        JsonNode answer = JSON.readTree(worker.send("PUT", "/connector-plugins/AlertSinkConnector/config/validate",
                JSON.writeValueAsString(config)).body());
        JsonNode routingKey = null;
        List<String> fieldsWithErrors = new java.util.ArrayList<>();
        for (JsonNode field : answer.get("configs")) {
            if (!field.get("value").get("errors").isEmpty()) {
                fieldsWithErrors.add(field.get("value").get("name").asText() + ": " + field.get("value").get("errors"));
            }
            if (field.get("value").get("name").asText().equals("endpoint.pd.routing.key")) {
                routingKey = field.get("value");
            }
        }
        assertThat(fieldsWithErrors).containsExactly(
                "endpoint.pd.routing.key: [\"Required when endpoint.pd.format=pagerduty\"]");
        assertThat(answer.get("error_count").asInt()).isEqualTo(1);
        assertThat(routingKey).isNotNull();
        assertThat(routingKey.get("errors").get(0).asText()).isEqualTo("Required when endpoint.pd.format=pagerduty");
        assertThat(answer.toString()).doesNotContain("S3CR3T");
    }

    @Test
    void shouldPageOnceResolveWithTheSameKeyRetryA500AndDeadLetterA400() throws Exception {
        KafkaCluster cluster = KAFKA.cluster();
        String alerts = cluster.createUniqueTopic("llm.alerts.v1", 3);
        String dlq = cluster.createUniqueTopic("alert-dlq", 1);

        {
            Map<String, String> oncall = base(alerts);
            oncall.put("endpoints", "pd,inbox");
            oncall.put("endpoint.pd.url", webhooks.url("/pagerduty/v2/enqueue").toString());
            oncall.put("endpoint.pd.format", "pagerduty");
            oncall.put("endpoint.pd.routing.key", "R0UT1NG");
            oncall.put("endpoint.inbox.url", webhooks.url("/flaky").toString());
            oncall.put("endpoint.inbox.format", "json");
            assertThat(worker.putConnector("oncall", oncall)).isEqualTo(201);

            Map<String, String> strict = base(alerts);
            strict.put("endpoints", "bad");
            strict.put("endpoint.bad.url", webhooks.url("/bad").toString());
            strict.put("errors.tolerance", "all");
            strict.put("errors.deadletterqueue.topic.name", dlq);
            strict.put("errors.deadletterqueue.topic.replication.factor", "1");
            strict.put("errors.deadletterqueue.context.headers.enable", "true");
            assertThat(worker.putConnector("strict", strict)).isEqualTo(201);
            Poll.until(TIMEOUT, () -> worker.isRunning("oncall", 1) && worker.isRunning("strict", 1),
                    () -> "alert connectors not running");

            String dedupKey = "budget_cap|tenant=acme|95|DAY 2026-11-27";
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(cluster.producerProps(),
                    new StringSerializer(), new ByteArraySerializer());
                 AvroSerializer<Alert> serializer = new AvroSerializer<>()) {
                serializer.configure(Map.of("schema.registry.url", registry.baseUri().toString()), false);
                for (AlertStatus status : List.of(AlertStatus.FIRING, AlertStatus.RESOLVED)) {
                    Alert alert = Records.alert(dedupKey, status, Severity.CRITICAL).build();
                    producer.send(new ProducerRecord<>(alerts, dedupKey, serializer.serialize(alerts, alert))).get();
                }
            }

            Poll.until(TIMEOUT, () -> webhooks.received("/pagerduty/v2/enqueue").size() >= 2
                            && webhooks.received("/flaky").size() >= 3,
                    () -> "deliveries so far: pagerduty " + webhooks.received("/pagerduty/v2/enqueue").size()
                            + ", flaky " + webhooks.received("/flaky").size());

            List<JsonNode> pages = bodies("/pagerduty/v2/enqueue");
            assertThat(pages).hasSize(2);
            assertThat(pages).extracting(p -> p.get("event_action").asText()).containsExactly("trigger", "resolve");
            assertThat(pages).extracting(p -> p.get("dedup_key").asText()).containsOnly(dedupKey);
            assertThat(pages).extracting(p -> p.get("routing_key").asText()).containsOnly("R0UT1NG");
            assertThat(pages.get(0).get("payload").get("severity").asText()).isEqualTo("critical");

            // The 500 was retried: three requests, the last two the FIRING and RESOLVED alerts.
            List<JsonNode> inbox = bodies("/flaky");
            assertThat(inbox).hasSize(3);
            assertThat(inbox.get(0)).isEqualTo(inbox.get(1));
            assertThat(inbox.subList(1, 3)).extracting(b -> b.get("status").asText()).containsExactly("FIRING", "RESOLVED");

            // The 400 was not retried, and both alerts went to the dead-letter queue with the reason.
            List<ConsumerRecord<byte[], byte[]>> dead = cluster.readAll(dlq, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(), 2);
            assertThat(dead).hasSize(2);
            assertThat(new String(dead.get(0).headers().lastHeader("__connect.errors.exception.message").value(),
                    StandardCharsets.UTF_8)).isEqualTo("Endpoint bad refused the alert: HTTP 400: {\"message\":\"Event object is invalid\"}");
            assertThat(webhooks.received("/bad")).hasSize(2);
        }
    }

    private static Map<String, String> base(String alerts) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "dev.costmeter.connect.alerts.AlertSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", alerts);
        config.put("schema.registry.url", registry.baseUri().toString());
        config.put("retry.backoff.ms", "100");
        config.put("max.retries", "3");
        return config;
    }

    private static List<JsonNode> bodies(String path) {
        return webhooks.received(path).stream().map(r -> {
            try {
                return JSON.readTree(r.body());
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }
}
