package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigEndpointTest {

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
  void shouldReportBackwardAsTheDefaultGlobalLevel() {
    Response response = client.get("/config");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
  }

  @Test
  void shouldReportTheConfiguredDefaultGlobalLevel() {
    try (RunningRegistry full = RunningRegistry.start(RegistryServerConfig.builder()
        .host("127.0.0.1").port(0).defaultCompatibility("FULL").build())) {

      assertThat(full.client().get("/config").json().get("compatibilityLevel").asText())
          .isEqualTo("FULL");
    }
  }

  @Test
  void shouldUpdateTheGlobalLevel() {
    Response response = client.put("/config", "{\"compatibility\":\"FULL\"}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"compatibility\":\"FULL\"}");
    assertThat(client.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"FULL\"}");
  }

  @Test
  void shouldAcceptLevelsInLowerCase() {
    Response response = client.put("/config", "{\"compatibility\":\"forward_transitive\"}");

    assertThat(response.body()).isEqualTo("{\"compatibility\":\"FORWARD_TRANSITIVE\"}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"compatibility\":\"SIDEWAYS\"}", "{}", "{\"compatibility\":null}"})
  void shouldReturn42203ForAnInvalidGlobalLevel(String body) {
    Response response = client.put("/config", body);

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42203);
    assertThat(client.get("/config").json().get("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
  }

  @Test
  void shouldReturn42203ForAnInvalidSubjectLevel() {
    Response response = client.put("/config/payments-value", "{\"compatibility\":\"SIDEWAYS\"}");

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42203);
  }

  @Test
  void shouldReturn40408WhenTheSubjectHasNoLevelOfItsOwn() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.get("/config/payments-value");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40408);
    assertThat(response.message()).isEqualTo(
        "Subject 'payments-value' does not have subject-level compatibility configured");
  }

  @Test
  void shouldFallBackToTheGlobalLevelWhenAskedTo() {
    client.put("/config", "{\"compatibility\":\"FORWARD\"}");

    Response response = client.get("/config/payments-value?defaultToGlobal=true");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"compatibilityLevel\":\"FORWARD\"}");
  }

  @Test
  void shouldSetAndReadASubjectLevelWithoutTouchingTheGlobalOne() {
    Response update = client.put("/config/payments-value", "{\"compatibility\":\"NONE\"}");

    assertThat(update.status()).isEqualTo(200);
    assertThat(update.body()).isEqualTo("{\"compatibility\":\"NONE\"}");
    assertThat(client.get("/config/payments-value").body())
        .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    assertThat(client.get("/config/payments-value?defaultToGlobal=true").body())
        .isEqualTo("{\"compatibilityLevel\":\"NONE\"}");
    assertThat(client.get("/config").body()).isEqualTo("{\"compatibilityLevel\":\"BACKWARD\"}");
  }

  @Test
  void shouldDeleteASubjectLevelAndAnswerThePreviousOne() {
    client.setLevel("payments-value", "FULL_TRANSITIVE");

    Response response = client.delete("/config/payments-value");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"compatibilityLevel\":\"FULL_TRANSITIVE\"}");
    assertThat(client.get("/config/payments-value").errorCode()).isEqualTo(40408);
  }

  @Test
  void shouldReturn40401WhenDeletingALevelTheSubjectDoesNotHave() {
    Response response = client.delete("/config/payments-value");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40401);
  }
}
