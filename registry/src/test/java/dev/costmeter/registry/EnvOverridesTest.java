package dev.costmeter.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.registry.server.RegistryServerConfig;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class EnvOverridesTest {

  @Test
  void shouldLetEnvironmentVariablesOverrideFileProperties() {
    Properties file = new Properties();
    file.setProperty("registry.port", "8081");
    file.setProperty("kafkastore.topic", "_from_file");

    Properties merged = EnvOverrides.apply(Map.of(
        "REGISTRY_PORT", "18081",
        "KAFKA_BOOTSTRAP_SERVERS", "broker:9092",
        "REGISTRY_COMPATIBILITY_LEVEL", "NONE",
        "REGISTRY_KAFKASTORE_SECURITY_PROTOCOL", "SSL",
        "PATH", "/usr/bin"), file);
    RegistryServerConfig config = RegistryServerConfig.fromProperties(merged);

    assertThat(config.port()).isEqualTo(18081);
    assertThat(config.kafkaBootstrapServers()).contains("broker:9092");
    assertThat(config.schemasTopic()).isEqualTo("_from_file");
    assertThat(config.defaultCompatibility()).isEqualTo("NONE");
    assertThat(config.kafkaClientProperties()).containsEntry("security.protocol", "SSL");
    assertThat(merged).doesNotContainValue("/usr/bin");
  }

  @Test
  void shouldIgnoreBlankVariables() {
    Properties file = new Properties();
    file.setProperty("registry.port", "8081");

    Properties merged = EnvOverrides.apply(Map.of("REGISTRY_PORT", " "), file);

    assertThat(merged.getProperty("registry.port")).isEqualTo("8081");
  }

  @Test
  void shouldGiveThePlainKafkaClientKeysOfTheSharedFileToTheRegistrysClients() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("registry", ".properties");
    try {
      java.nio.file.Files.writeString(file, "bootstrap.servers=broker:9093\nsecurity.protocol=SASL_SSL\n"
          + "sasl.mechanism=SCRAM-SHA-512\nkafkastore.sasl.mechanism=PLAIN\n");

      Properties merged = EnvOverrides.load(java.util.Optional.empty(), Map.of(
          "COSTMETER_CONFIG_FILE", file.toString(), "COSTMETER_REGISTRY_PORT", "18082"));
      RegistryServerConfig config = RegistryServerConfig.fromProperties(merged);

      assertThat(config.port()).isEqualTo(18082);
      assertThat(config.kafkaBootstrapServers()).contains("broker:9093");
      assertThat(config.kafkaClientProperties()).containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "PLAIN");
    } finally {
      java.nio.file.Files.delete(file);
    }
  }

  @Test
  void shouldPreferTheCostmeterVariableOverTheOldOne() {
    Properties merged = EnvOverrides.apply(Map.of("REGISTRY_PORT", "18081", "COSTMETER_REGISTRY_PORT", "18083"),
        new Properties());

    assertThat(merged.getProperty("registry.port")).isEqualTo("18083");
  }
}
