package dev.costmeter.registry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.testing.PaymentSchemas;
import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RootEndpointsTest {

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
  void shouldAnswerAnEmptyObjectAtTheRoot() {
    Response response = client.get("/");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{}");
  }

  @Test
  void shouldListAvroAsTheOnlySchemaType() {
    Response response = client.get("/schemas/types");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[\"AVRO\"]");
  }

  @Test
  void shouldReportReadWriteMode() {
    Response response = client.get("/mode");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("mode").asText()).isEqualTo("READWRITE");
  }

  @Test
  void shouldAnswerWithTheSchemaRegistryContentTypeByDefault() {
    assertThat(client.get("/subjects").contentType()).isEqualTo(RegistryTestClient.SR_JSON);
  }

  @Test
  void shouldAnswerPlainJsonWhenTheClientAcceptsOnlyThat() {
    Response response = client.send("GET", "/subjects", null,
        Map.of("Accept", "application/json"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json");
  }

  @Test
  void shouldAcceptTheSchemaRegistryTypeAndWildcardsInAccept() {
    assertThat(client.send("GET", "/", null, Map.of("Accept", RegistryTestClient.SR_JSON))
        .status()).isEqualTo(200);
    assertThat(client.send("GET", "/", null, Map.of("Accept", "*/*")).status()).isEqualTo(200);
    assertThat(client.send("GET", "/", null,
        Map.of("Accept", "text/html, application/json;q=0.9")).status()).isEqualTo(200);
  }

  @Test
  void shouldReturn406WhenNothingAcceptableIsAccepted() {
    Response response = client.send("GET", "/subjects", null, Map.of("Accept", "text/html"));

    assertThat(response.status()).isEqualTo(406);
    assertThat(response.errorCode()).isEqualTo(406);
  }

  @Test
  void shouldReturn404WithAnErrorBodyForAnUnknownPath() {
    Response response = client.get("/no/such/resource");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(404);
    assertThat(response.message()).isNotBlank();
  }

  @Test
  void shouldReturn405ForAnUnsupportedMethodOnAKnownPath() {
    Response response = client.send("PATCH", "/subjects", "{}", Map.of());

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.errorCode()).isEqualTo(405);
  }

  @Test
  void shouldReturn415ForABodyThatIsNotJson() {
    Response response = client.send("POST", "/subjects/s/versions",
        RegistryTestClient.schemaBody(PaymentSchemas.PAYMENT_V1),
        Map.of("Content-Type", "text/plain"));

    assertThat(response.status()).isEqualTo(415);
    assertThat(response.errorCode()).isEqualTo(415);
  }

  @Test
  void shouldAcceptPlainJsonRequestBodies() {
    Response response = client.send("POST", "/subjects/s/versions",
        RegistryTestClient.schemaBody(PaymentSchemas.PAYMENT_V1),
        Map.of("Content-Type", "application/json; charset=utf-8"));

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void shouldReturn400ForMalformedJson() {
    Response response = client.post("/subjects/s/versions", "{\"schema\": ");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo(400);
    assertThat(response.body()).doesNotContain("\tat ");
  }

  @Test
  void shouldReturn422ForJsonThatIsNotAnObject() {
    Response response = client.post("/subjects/s/versions", "[1, 2]");

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(422);
  }

  @Test
  void shouldReturn422WhenTheSchemaFieldIsNotAString() {
    Response response = client.post("/subjects/s/versions", "{\"schema\": {\"type\": \"string\"}}");

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(422);
  }

  @Test
  void shouldReturn422ForAnEmptyBody() {
    Response response = client.send("POST", "/subjects/s/versions", "", Map.of());

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(422);
  }
}
