package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITH_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.REFUND;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubjectVersionsTest {

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
  void shouldListNoSubjectsWhenEmpty() {
    assertThat(client.get("/subjects").body()).isEqualTo("[]");
  }

  @Test
  void shouldListSubjectsInOrder() {
    client.register("refunds-value", REFUND);
    client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/subjects");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[\"payments-value\",\"refunds-value\"]");
  }

  @Test
  void shouldListTheVersionsOfASubject() {
    client.register("payments-value", PAYMENT_V1);
    client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);

    Response response = client.get("/subjects/payments-value/versions");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[1,2]");
  }

  @Test
  void shouldReturn40401WhenSubjectUnknown() {
    Response versions = client.get("/subjects/unknown/versions");
    Response version = client.get("/subjects/unknown/versions/1");
    Response latest = client.get("/subjects/unknown/versions/latest");

    for (Response response : new Response[] {versions, version, latest}) {
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.errorCode()).isEqualTo(40401);
      assertThat(response.message()).isEqualTo("Subject 'unknown' not found.");
    }
  }

  @Test
  void shouldReturnAVersionWithSubjectIdVersionAndSchema() {
    client.register("payments-value", PAYMENT_V1);
    int id = client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);

    Response response = client.get("/subjects/payments-value/versions/2");

    assertThat(response.status()).isEqualTo(200);
    JsonNode json = response.json();
    assertThat(json.get("subject").asText()).isEqualTo("payments-value");
    assertThat(json.get("version").asInt()).isEqualTo(2);
    assertThat(json.get("id").asInt()).isEqualTo(id);
    assertThat(json.get("schema").asText())
        .isEqualTo(new Schema.Parser().parse(PAYMENT_V2_WITH_DEFAULT).toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "-1"})
  void shouldReturnTheLatestVersion(String latest) {
    client.register("payments-value", PAYMENT_V1);
    client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);

    Response response = client.get("/subjects/payments-value/versions/" + latest);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("version").asInt()).isEqualTo(2);
  }

  @Test
  void shouldReturn40402WhenVersionUnknown() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/subjects/payments-value/versions/7");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40402);
    assertThat(response.message()).isEqualTo("Version 7 not found.");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "0", "-2", "2147483648", "1.5"})
  void shouldReturn42202ForAnInvalidVersion(String version) {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/subjects/payments-value/versions/" + version);

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42202);
    assertThat(response.message()).contains("'" + version + "'");
  }

  @Test
  void shouldReturn42202ForAnInvalidVersionEvenOfAnUnknownSubject() {
    Response response = client.get("/subjects/unknown/versions/0");

    assertThat(response.errorCode()).isEqualTo(42202);
  }

  @Test
  void shouldReturnTheRawSchemaOfAVersion() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/subjects/payments-value/versions/1/schema");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(new Schema.Parser().parse(PAYMENT_V1).toString());
  }

  @Test
  void shouldReturnTheRawSchemaOfTheLatestVersion() {
    client.register("payments-value", PAYMENT_V1);
    client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);

    Response response = client.get("/subjects/payments-value/versions/latest/schema");

    assertThat(response.body())
        .isEqualTo(new Schema.Parser().parse(PAYMENT_V2_WITH_DEFAULT).toString());
  }

  @Test
  void shouldReturn40402ForTheRawSchemaOfAnUnknownVersion() {
    client.register("payments-value", PAYMENT_V1);

    assertThat(client.get("/subjects/payments-value/versions/3/schema").errorCode())
        .isEqualTo(40402);
  }
}
