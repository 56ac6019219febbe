package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V2_WITH_DEFAULT;
import static dev.costmeter.registry.testing.PaymentSchemas.REFUND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.testing.RegistryTestClient;
import dev.costmeter.registry.testing.RegistryTestClient.Response;
import dev.costmeter.registry.testing.RunningRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SubjectDeletionTest {

  private RunningRegistry registry;
  private RegistryTestClient client;

  @BeforeEach
  void start() {
    registry = RunningRegistry.inMemory();
    client = registry.client();
    client.register("payments-value", PAYMENT_V1);
    client.register("payments-value", PAYMENT_V2_WITH_DEFAULT);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  @Test
  void shouldSoftDeleteASubjectAndAnswerItsVersions() {
    Response response = client.delete("/subjects/payments-value");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[1,2]");
  }

  @Test
  void shouldHideASoftDeletedSubjectFromReads() {
    client.delete("/subjects/payments-value");

    assertThat(client.get("/subjects").body()).isEqualTo("[]");
    assertThat(client.get("/subjects/payments-value/versions").errorCode()).isEqualTo(40401);
    assertThat(client.get("/subjects/payments-value/versions/1").errorCode()).isEqualTo(40401);
    assertThat(client.get("/subjects/payments-value/versions/latest").errorCode())
        .isEqualTo(40401);
  }

  @Test
  void shouldShowASoftDeletedSubjectWhenAskedFor() {
    client.delete("/subjects/payments-value");

    assertThat(client.get("/subjects?deleted=true").body()).isEqualTo("[\"payments-value\"]");
    assertThat(client.get("/subjects/payments-value/versions?deleted=true").body())
        .isEqualTo("[1,2]");
    assertThat(client.get("/subjects/payments-value/versions/1?deleted=true").status())
        .isEqualTo(200);
  }

  @Test
  void shouldReturn40404WhenSoftDeletingASubjectTwice() {
    client.delete("/subjects/payments-value");

    Response response = client.delete("/subjects/payments-value");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40404);
  }

  @Test
  void shouldReturn40405WhenPermanentlyDeletingASubjectNotSoftDeletedFirst() {
    Response response = client.delete("/subjects/payments-value?permanent=true");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40405);
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[1,2]");
  }

  @Test
  void shouldPermanentlyDeleteASubjectAfterASoftDelete() {
    int id = client.get("/subjects/payments-value/versions/1").json().get("id").asInt();
    client.delete("/subjects/payments-value");

    Response response = client.delete("/subjects/payments-value?permanent=true");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("[1,2]");
    assertThat(client.get("/subjects?deleted=true").body()).isEqualTo("[]");
    assertThat(client.get("/subjects/payments-value/versions?deleted=true").errorCode())
        .isEqualTo(40401);
    assertThat(client.get("/schemas/ids/" + id).errorCode()).isEqualTo(40403);
  }

  @Test
  void shouldReturn40401WhenDeletingAnUnknownSubject() {
    assertThat(client.delete("/subjects/unknown").errorCode()).isEqualTo(40401);
    assertThat(client.delete("/subjects/unknown?permanent=true").errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldSoftDeleteOneVersion() {
    Response response = client.delete("/subjects/payments-value/versions/1");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("1");
    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[2]");
    assertThat(client.get("/subjects/payments-value/versions/1").errorCode()).isEqualTo(40402);
    assertThat(client.get("/subjects/payments-value/versions/1?deleted=true").status())
        .isEqualTo(200);
  }

  @Test
  void shouldSoftDeleteTheLatestVersion() {
    Response response = client.delete("/subjects/payments-value/versions/latest");

    assertThat(response.body()).isEqualTo("2");
    assertThat(client.get("/subjects/payments-value/versions/latest").json().get("version")
        .asInt()).isEqualTo(1);
  }

  @Test
  void shouldReturn40406WhenSoftDeletingAVersionTwice() {
    client.delete("/subjects/payments-value/versions/1");

    Response response = client.delete("/subjects/payments-value/versions/1");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40406);
  }

  @Test
  void shouldReturn40407WhenPermanentlyDeletingAVersionNotSoftDeletedFirst() {
    Response response = client.delete("/subjects/payments-value/versions/1?permanent=true");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.errorCode()).isEqualTo(40407);
  }

  @Test
  void shouldPermanentlyDeleteAVersionAfterASoftDelete() {
    client.delete("/subjects/payments-value/versions/1");

    Response response = client.delete("/subjects/payments-value/versions/1?permanent=true");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("1");
    assertThat(client.get("/subjects/payments-value/versions?deleted=true").body())
        .isEqualTo("[2]");
  }

  @Test
  void shouldReturn40402WhenDeletingAnUnknownVersion() {
    assertThat(client.delete("/subjects/payments-value/versions/9").errorCode()).isEqualTo(40402);
  }

  @Test
  void shouldReturn40401WhenDeletingAVersionOfAnUnknownSubject() {
    assertThat(client.delete("/subjects/unknown/versions/1").errorCode()).isEqualTo(40401);
  }

  @Test
  void shouldReturn42202WhenDeletingAnInvalidVersion() {
    assertThat(client.delete("/subjects/payments-value/versions/zero").errorCode())
        .isEqualTo(42202);
  }

  @Test
  void shouldDropTheSubjectLevelOnSoftDelete() {
    client.setLevel("payments-value", "NONE");

    client.delete("/subjects/payments-value");

    assertThat(client.get("/config/payments-value").errorCode()).isEqualTo(40408);
  }

  @Test
  void shouldLeaveOtherSubjectsAlone() {
    client.register("refunds-value", REFUND);

    client.delete("/subjects/payments-value");

    assertThat(client.get("/subjects").body()).isEqualTo("[\"refunds-value\"]");
  }

  @Test
  void shouldKeepVersionsRegisteredAfterASoftDeleteLive() {
    client.delete("/subjects/payments-value");
    client.register("payments-value", REFUND);

    assertThat(client.get("/subjects/payments-value/versions").body()).isEqualTo("[3]");
    assertThat(client.get("/subjects/payments-value/versions?deleted=true").body())
        .isEqualTo("[1,2,3]");
  }
}
