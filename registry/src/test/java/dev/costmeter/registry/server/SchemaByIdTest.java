package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SchemaByIdTest {

  private static final String CANONICAL = new Schema.Parser().parse(PAYMENT_V1).toString();

  private RunningRegistry registry;
  private RegistryTestClient client;

  @BeforeEach
  void start() {
    registry = RunningRegistry.inMemory();
    client = registry.client();
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void shouldReturnTheSchemaById() {
    int id = client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/schemas/ids/" + id);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("schema").asText()).isEqualTo(CANONICAL);
  }

  @Test
  void shouldReturnTheRawSchemaById() {
    int id = client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/schemas/ids/" + id + "/schema");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(CANONICAL);
  }

  @Test
  void shouldListTheSubjectVersionsHoldingAnId() {
    int id = client.register("payments-value", PAYMENT_V1);
    client.register("archive-value", PAYMENT_V1);

    Response response = client.get("/schemas/ids/" + id + "/versions");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[{\"subject\":\"archive-value\",\"version\":1},"
        + "{\"subject\":\"payments-value\",\"version\":1}]");
  }

  @Test
  void shouldListTheSubjectsHoldingAnId() {
    int id = client.register("payments-value", PAYMENT_V1);
    client.register("archive-value", PAYMENT_V1);

    assertThat(client.get("/schemas/ids/" + id + "/subjects").body())
        .isEqualTo("[\"archive-value\",\"payments-value\"]");
  }

  @Test
  void shouldHideSoftDeletedVersionsOfAnIdUnlessAskedFor() {
    int id = client.register("payments-value", PAYMENT_V1);
    client.register("archive-value", PAYMENT_V1);
    client.delete("/subjects/archive-value");

    assertThat(client.get("/schemas/ids/" + id + "/versions").body())
        .isEqualTo("[{\"subject\":\"payments-value\",\"version\":1}]");
    assertThat(client.get("/schemas/ids/" + id + "/versions?deleted=true").json()).hasSize(2);
  }

  @Test
  void shouldKeepASoftDeletedSchemaReachableById() {
    int id = client.register("payments-value", PAYMENT_V1);
    client.delete("/subjects/payments-value");

    assertThat(client.get("/schemas/ids/" + id).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/schemas/ids/42", "/schemas/ids/42/schema", "/schemas/ids/42/versions"})
  void shouldReturn40403ForAnUnknownId(String path) {
    Response response = client.get(path);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40403);
    assertThat(response.message()).isEqualTo("Schema 42 not found");
  }

  @Test
  void shouldReturn404ForAnIdThatIsNotANumber() {
    Response response = client.get("/schemas/ids/abc");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(404);
  }
}
