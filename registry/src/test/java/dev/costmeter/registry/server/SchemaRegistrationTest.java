package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITHOUT_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITH_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.REFUND;
import static dev.costmeter.registry.testing.RegistryTestClient.body;
import static dev.costmeter.registry.testing.RegistryTestClient.schemaBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SchemaRegistrationTest {

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
  void shouldAnswerTheIdOfANewlyRegisteredSchema() {
    Response response = client.post("/subjects/payments-value/versions", schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"id\":1}");
  }

  @Test
  void shouldReturnTheSameIdAndNoNewVersionWhenTheSameSchemaIsRegisteredAgain() {
    int first = client.register("payments-value", PAYMENT_V1);
    int second = client.register("payments-value", PAYMENT_V1);

    assertThat(second).isEqualTo(first);
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1]");
  }

  @Test
  void shouldTreatSchemasDifferingOnlyInWhitespaceAsTheSameSchema() {
    int compact = client.register("payments-value", PAYMENT_V1);
    String spaced = new Schema.Parser().parse(PAYMENT_V1).toString(true);

    int pretty = client.register("payments-value", spaced);

    assertThat(pretty).isEqualTo(compact);
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1]");
  }

  @Test
  void shouldStoreTheCanonicalFormOfTheSchema() {
    client.register("payments-value", new Schema.Parser().parse(PAYMENT_V1).toString(true));

    String stored = client.get("/subjects/payments-value/versions/1").json().get("schema").asText();

    assertThat(stored).isEqualTo(new Schema.Parser().parse(PAYMENT_V1).toString());
  }

  @Test
  void shouldShareTheIdOfTheSameSchemaAcrossSubjects() {
    int inPayments = client.register("payments-value", PAYMENT_V1);
    int inArchive = client.register("archive-value", PAYMENT_V1);

    assertThat(inArchive).isEqualTo(inPayments);
    assertThat(client.get("/schemas/ids/" + inPayments + "/versions").json().toString())
        .isEqualTo("[{\"subject\":\"archive-value\",\"version\":1},"
            + "{\"subject\":\"payments-value\",\"version\":1}]");
  }

  @Test
  void shouldAllocateANewGlobalIdForEachNewSchema() {
    int payment = client.register("payments-value", PAYMENT_V1);
    int refund = client.register("refunds-value", REFUND);
    int evolved = client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);

    assertThat(List.of(payment, refund, evolved)).containsExactly(1, 2, 3);
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1,2]");
  }

  @Test
  void shouldAcceptAnExplicitAvroSchemaType() {
    Response response = client.post("/subjects/payments-value/versions",
        body(Map.of("schema", PAYMENT_V1, "schemaType", "AVRO")));

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void shouldReturn42201ForAnInvalidSchema() {
    Response response = client.post("/subjects/payments-value/versions",
        schemaBody("{\"type\":\"record\",\"name\":\"Broken\",\"fields\":[{\"name\":\"x\"}]}"));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42201);
    assertThat(response.message()).startsWith("Invalid schema");
  }

  @Test
  void shouldReturn42201ForASchemaThatIsNotJson() {
    Response response = client.post("/subjects/payments-value/versions", schemaBody("{not json"));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42201);
  }

  @Test
  void shouldReturn42201WhenTheSchemaIsMissing() {
    Response response = client.post("/subjects/payments-value/versions", "{}");

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42201);
  }

  @Test
  void shouldReturn42201ForAnUnsupportedSchemaType() {
    Response response = client.post("/subjects/payments-value/versions",
        body(Map.of("schema", "syntax = \"proto3\";", "schemaType", "PROTOBUF")));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42201);
    assertThat(response.message()).contains("PROTOBUF");
  }

  @Test
  void shouldReturn42201ForSchemaReferences() {
    Response response = client.post("/subjects/payments-value/versions", body(Map.of(
        "schema", PAYMENT_V1,
        "references", List.of(Map.of("name", "test.Money", "subject", "money", "version", 1)))));

    assertThat(response.status()).isEqualTo(422);
    assertThat(response.errorCode()).isEqualTo(42201);
    assertThat(response.message()).contains("references are not supported");
  }

  @Test
  void shouldReturn409NamingTheIncompatibilityUnderBackward() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/subjects/payments-value/versions",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));

    assertThat(response.status()).isEqualTo(409);
    assertThat(response.errorCode()).isEqualTo(409);
    assertThat(response.message())
        .contains("incompatible with an earlier schema for subject \"payments-value\"")
        .contains("READER_FIELD_MISSING_DEFAULT_VALUE")
        .contains("currency");
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1]");
  }

  @Test
  void shouldAcceptABackwardCompatibleEvolutionUnderBackward() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/subjects/payments-value/versions",
        schemaBody(PAYMENT_V2_WITH_DEFAULT));

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void shouldAcceptAnIncompatibleSchemaUnderNone() {
    client.register("payments-value", PAYMENT_V1);
    client.setLevel("payments-value", "NONE");

    Response response = client.post("/subjects/payments-value/versions",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));

    assertThat(response.status()).isEqualTo(200);
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1,2]");
  }

  @Test
  void shouldLetASubjectLevelOverrideTheGlobalLevel() {
    client.put("/config", "{\"compatibility\":\"NONE\"}");
    client.register("strict-value", PAYMENT_V1);
    client.register("lenient-value", PAYMENT_V1);
    client.setLevel("strict-value", "BACKWARD");

    Response strict = client.post("/subjects/strict-value/versions",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));
    Response lenient = client.post("/subjects/lenient-value/versions",
        schemaBody(PAYMENT_V2_WITHOUT_DEFAULT));

    assertThat(strict.status()).isEqualTo(409);
    assertThat(lenient.status()).isEqualTo(200);
  }

  @Test
  void shouldRegisterASoftDeletedSchemaAgainAsANewVersionWithTheSameId() {
    int id = client.register("payments-value", PAYMENT_V1);
    client.delete("/subjects/payments-value");

    int again = client.register("payments-value", PAYMENT_V1);

    assertThat(again).isEqualTo(id);
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[2]");
  }

  @Test
  void shouldAcceptSubjectNamesWithEncodedCharacters() {
    int id = client.register("team%2Fpayments+value", PAYMENT_V1);

    assertThat(client.get("/subjects").body()).isEqualTo("[\"team/payments+value\"]");
    assertThat(client.get("/subjects/team%2Fpayments+value/versions/1").json().get("id").asInt())
        .isEqualTo(id);
  }

  @Test
  void shouldLookUpTheVersionHoldingASchema() {
    client.register("payments-value", PAYMENT_V1);
    int id = client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);

    Response response = client.post("/subjects/payments-value",
        schemaBody(new Schema.Parser().parse(PAYMENT_V2_WITH_DEFAULT).toString(true)));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("subject").asText()).isEqualTo("payments-value");
    assertThat(response.json().get("version").asInt()).isEqualTo(2);
    assertThat(response.json().get("id").asInt()).isEqualTo(id);
    assertThat(response.json().get("schema").asText())
        .isEqualTo(new Schema.Parser().parse(PAYMENT_V2_WITH_DEFAULT).toString());
  }

  @Test
  void shouldReturn40401WhenLookingUpUnderAnUnknownSubject() {
    Response response = client.post("/subjects/unknown", schemaBody(PAYMENT_V1));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40401);
    assertThat(response.message()).isEqualTo("Subject 'unknown' not found.");
  }

  @Test
  void shouldReturn40403WhenLookingUpASchemaTheSubjectDoesNotHold() {
    client.register("payments-value", PAYMENT_V1);

    Response response = client.post("/subjects/payments-value", schemaBody(REFUND));

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40403);
  }

  @Test
  void shouldFindASoftDeletedVersionOnLookupOnlyWhenAskedFor() {
    client.register("payments-value", PAYMENT_V1);
    client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);
    client.delete("/subjects/payments-value/versions/1");

    Response hidden = client.post("/subjects/payments-value", schemaBody(PAYMENT_V1));
    Response shown = client.post("/subjects/payments-value?deleted=true", schemaBody(PAYMENT_V1));

    assertThat(hidden.errorCode()).isEqualTo(40403);
    assertThat(shown.status()).isEqualTo(200);
    assertThat(shown.json().get("version").asInt()).isEqualTo(1);
  }
}
