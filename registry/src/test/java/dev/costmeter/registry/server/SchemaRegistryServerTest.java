package dev.costmeter.registry.server;

import static dev.costmeter.registry.testing.PaymentSchemas.PAYMENT_V1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.registry.testing.RegistryTestClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SchemaRegistryServerTest {

  @Test
  void shouldServeOnAnEphemeralPortAndReportItsUri() throws IOException {
    try (SchemaRegistryServer server = SchemaRegistryServer.start(
        RegistryServerConfig.builder().port(0).build())) {

      assertThat(server.port()).isPositive();
      assertThat(server.baseUri().toString()).as("the default host, loopback").isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(new RegistryTestClient(server.baseUri()).get("/").status()).isEqualTo(200);
    }
  }

  @Test
  void shouldStopServingWhenClosedAndTolerateASecondClose() throws IOException {
    SchemaRegistryServer server = SchemaRegistryServer.start(
        RegistryServerConfig.builder().host("127.0.0.1").port(0).build());
    RegistryTestClient client = new RegistryTestClient(server.baseUri());
    client.register("payments-value", PAYMENT_V1);

    server.close();
    server.close();

    assertThatThrownBy(() -> client.get("/subjects")).isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void shouldFailToStartOnAPortInUse() throws IOException {
    try (SchemaRegistryServer first = SchemaRegistryServer.start(
        RegistryServerConfig.builder().host("127.0.0.1").port(0).build())) {

      assertThatThrownBy(() -> SchemaRegistryServer.start(RegistryServerConfig.builder()
          .host("127.0.0.1").port(first.port()).build()))
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  void shouldFailToStartWhenKafkaIsUnreachable() {
    RegistryServerConfig config = RegistryServerConfig.builder()
        .host("127.0.0.1").port(0)
        .kafkaBootstrapServers("127.0.0.1:1")
        .initTimeout(Duration.ofSeconds(2))
        .build();

    assertThatThrownBy(() -> SchemaRegistryServer.start(config))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Cannot start the schema store");
  }
}
