package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITHOUT_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITH_DEFAULT;
import static dev.costmeter.registry.testing.RegistryTestClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CompatibilityEndpointTest {

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
  void shouldReportACompatibleSchemaAgainstTheLatestVersion() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/compatibility/subjects/payments-value/versions/latest",
        schemaBody(PAYMENT_V2_WITH_DEFAULT));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"is_compatible\":true}");
  }

  @Test
  void shouldReportAnIncompatibleSchemaWithoutMessagesUnlessVerbose() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/compatibility/subjects/payments-value/versions/latest",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"is_compatible\":false}");
  }

  @Test
  void shouldExplainAnIncompatibilityWhenVerbose() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post(
        "/compatibility/subjects/payments-value/versions/1?verbose=true",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));

    assertThat(response.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(response.json().get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("{oldSchemaVersion: 1}")
        .contains("{compatibility: 'BACKWARD'}");
  }

  @Test
  void shouldListNoMessagesForACompatibleSchemaWhenVerbose() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post(
        "/compatibility/subjects/payments-value/versions/latest?verbose=true",
        schemaBody(PAYMENT_V2_WITH_DEFAULT));

    assertThat(response.body()).isEqualTo("{\"is_compatible\":true,\"messages\":[]}");
  }

  @Test
  void shouldBeCompatibleAgainstLatestWhenTheSubjectIsUnknown() {
    Response response = client.post("/compatibility/subjects/unknown/versions/latest",
        schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"is_compatible\":true}");
  }

  @Test
  void shouldReturn40401AgainstASpecificVersionOfAnUnknownSubject() {
    Response response = client.post("/compatibility/subjects/unknown/versions/1",
        schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldReturn40402AgainstAnUnknownVersion() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/compatibility/subjects/payments-value/versions/5",
        schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40402);
  }

  @Test
  void shouldReturn42202AgainstAnInvalidVersion() {
    Response response = client.post("/compatibility/subjects/payments-value/versions/first",
        schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42202);
  }

  @Test
  void shouldReturn42201ForAnInvalidSchema() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/compatibility/subjects/payments-value/versions/latest",
        schemaBody("{\"type\":\"nonsense\"}"));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42201);
  }

  @Test
  void shouldCheckBackwardAgainstTheLatestVersionOnlyUnlessTransitive() {
    client.setLevel("payments-value", "NONE");
    client.register("payments-value", PAYMENT_V2_WITHOUT_DEFAULT);
    client.register("payments-value", PAYMENT_V1);
    // Reads version 2 (no currency) with the default, but cannot read version 1's string
    // currency as an int.
    String currencyAsInt = "{\"type\":\"record\",\"name\":\"Payment\",\"namespace\":\"test\","
        + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
        + "{\"name\":\"currency\",\"type\":\"int\",\"default\":0}]}";

    client.setLevel("payments-value", "BACKWARD");
    Response latestOnly = client.post("/compatibility/subjects/payments-value/versions",
        schemaBody(currencyAsInt));
    client.setLevel("payments-value", "BACKWARD_TRANSITIVE");
    Response transitive = client.post(
        "/compatibility/subjects/payments-value/versions?verbose=true", schemaBody(currencyAsInt));

    assertThat(latestOnly.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(transitive.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(transitive.json().get("messages").toString())
        .contains("TYPE_MISMATCH")
        .contains("{oldSchemaVersion: 1}")
        .contains("{compatibility: 'BACKWARD_TRANSITIVE'}");
  }

  @Test
  void shouldCheckForwardAgainstTheLatestVersionOnlyUnlessTransitive() {
    client.setLevel("payments-value", "NONE");
    client.register("payments-value", PAYMENT_V2_WITHOUT_DEFAULT);
    client.register("payments-value", PAYMENT_V1);
    // Version 2's readers do not care, version 1's need a currency the new data lacks.

    client.setLevel("payments-value", "FORWARD");
    Response latestOnly = client.post("/compatibility/subjects/payments-value/versions",
        schemaBody(PAYMENT_V2_WITH_DEFAULT));
    client.setLevel("payments-value", "FORWARD_TRANSITIVE");
    Response transitive = client.post("/compatibility/subjects/payments-value/versions",
        schemaBody(PAYMENT_V2_WITH_DEFAULT));

    assertThat(latestOnly.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(transitive.json().get("is_compatible").asBoolean()).isFalse();
  }

  @Test
  void shouldRequireBothDirectionsUnderFull() {
    client.register("payments-value", PAYMENT_V2_WITHOUT_DEFAULT);
    // Dropping "currency": new readers ignore it (backward), old readers miss it (not forward).
    String dropsCurrency = schemaBody(PAYMENT_V1);

    client.setLevel("payments-value", "BACKWARD");
    Response backward = client.post("/compatibility/subjects/payments-value/versions/latest",
        dropsCurrency);
    client.setLevel("payments-value", "FULL");
    Response full = client.post(
        "/compatibility/subjects/payments-value/versions/latest?verbose=true", dropsCurrency);

    assertThat(backward.json().get("is_compatible").asBoolean()).isTrue();
    assertThat(full.json().get("is_compatible").asBoolean()).isFalse();
    assertThat(full.json().get("messages").toString())
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("the old schema cannot read data written with the new schema");
  }

  @Test
  void shouldIgnoreSoftDeletedVersionsWhenChecking() {
    client.register("payments-value", PAYMENT_V1);
    client.delete("/subjects/payments-value");

    Response response = client.post("/compatibility/subjects/payments-value/versions",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));

    assertThat(response.json().get("is_compatible").asBoolean()).isTrue();
  }
}
