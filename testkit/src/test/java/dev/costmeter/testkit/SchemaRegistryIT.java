package dev.costmeter.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SchemaRegistryIT {

    // The registry's callbacks run first on purpose (@Order): before Kafka's beforeAll, and after
    // Kafka's afterAll. It must start Kafka itself and be stopped before the cluster goes away.
    @RegisterExtension
    @Order(1)
    static final SchemaRegistryExtension REGISTRY;

    @RegisterExtension
    @Order(2)
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    static {
        REGISTRY = SchemaRegistryExtension.on(KAFKA);
    }

    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String USAGE_SCHEMA = "{\"type\":\"record\",\"name\":\"Usage\",\"namespace\":\"dev.costmeter.test\","
            + "\"fields\":[{\"name\":\"tokens\",\"type\":\"long\"}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldListSubjectsAsAJsonArray() throws Exception {
        HttpResponse<String> response = get(REGISTRY.url() + "/subjects");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json.readTree(response.body()).isArray()).isTrue();
    }

    @Test
    void shouldServeARegisteredSchemaFromASecondServerOnTheSameCluster(KafkaCluster kafka) throws Exception {
        String subject = kafka.uniqueName("usage-value");
        int id = register(REGISTRY.url(), subject, USAGE_SCHEMA);

        try (SchemaRegistryServer second = SchemaRegistryServer.start(RegistryServerConfig.builder()
                .host("127.0.0.1").port(0)
                .kafkaBootstrapServers(kafka.bootstrapServers())
                .schemasTopic(REGISTRY.schemasTopic().orElseThrow())
                .topicReplicationFactor(kafka.defaultReplicationFactor())
                .build())) {
            JsonNode byId = json.readTree(get(second.baseUri() + "/schemas/ids/" + id).body());
            assertThat(json.readTree(byId.get("schema").asText()).get("name").asText()).isEqualTo("Usage");
            assertThat(json.readTree(get(second.baseUri() + "/subjects").body()))
                    .extracting(JsonNode::asText).contains(subject);
        }
    }

    @Test
    void shouldKeepRegisteredSchemasAcrossARestart(KafkaCluster kafka) throws Exception {
        String subject = kafka.uniqueName("ledger-value");
        int id = register(REGISTRY.url(), subject, USAGE_SCHEMA);

        REGISTRY.restart();

        JsonNode latest = json.readTree(get(REGISTRY.url() + "/subjects/" + subject + "/versions/latest").body());
        assertThat(latest.get("id").asInt()).isEqualTo(id);
        assertThat(latest.get("version").asInt()).isEqualTo(1);
    }

    private int register(String url, String subject, String schema) throws Exception {
        String body = json.writeValueAsString(json.createObjectNode().put("schema", schema));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/" + subject + "/versions"))
                        .header("Content-Type", CONTENT_TYPE)
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).get("id").asInt();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", CONTENT_TYPE)
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
