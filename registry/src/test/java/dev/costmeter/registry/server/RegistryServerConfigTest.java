package dev.costmeter.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class RegistryServerConfigTest {

  @Test
  void shouldDefaultToAnInMemoryServerOnPort8081() {
    RegistryServerConfig config = RegistryServerConfig.builder().build();

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8081);
    assertThat(config.kafkaBootstrapServers()).isEmpty();
    assertThat(config.schemasTopic()).isEqualTo("_schemas");
    assertThat(config.topicReplicationFactor()).isEqualTo((short) 1);
    assertThat(config.defaultCompatibility()).isEqualTo("BACKWARD");
    assertThat(config.kafkaClientProperties()).isEmpty();
    assertThat(config.initTimeout()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void shouldReadConfluentStyleProperties() {
    Properties properties = new Properties();
    properties.setProperty("registry.host", "127.0.0.1");
    properties.setProperty("registry.port", "0");
    properties.setProperty("kafkastore.bootstrap.servers", "broker:9092");
    properties.setProperty("kafkastore.topic", "_costmeter_schemas");
    properties.setProperty("kafkastore.topic.replication.factor", "3");
    properties.setProperty("schema.compatibility.level", "full");
    properties.setProperty("kafkastore.init.timeout.ms", "5000");
    properties.setProperty("kafkastore.timeout.ms", "2000");
    properties.setProperty("kafkastore.security.protocol", "SASL_SSL");
    properties.setProperty("unrelated.key", "ignored");

    RegistryServerConfig config = RegistryServerConfig.fromProperties(properties);

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isZero();
    assertThat(config.kafkaBootstrapServers()).contains("broker:9092");
    assertThat(config.schemasTopic()).isEqualTo("_costmeter_schemas");
    assertThat(config.topicReplicationFactor()).isEqualTo((short) 3);
    assertThat(config.defaultCompatibility()).isEqualTo("FULL");
    assertThat(config.initTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(config.kafkaClientProperties())
        .containsExactlyEntriesOf(Map.of("security.protocol", "SASL_SSL"));
  }

  @Test
  void shouldNameTheKeyOfAnUnusableValue() {
    Properties properties = new Properties();
    properties.setProperty("registry.port", "eighty");

    assertThatThrownBy(() -> RegistryServerConfig.fromProperties(properties))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("registry.port");
  }

  @Test
  void shouldRejectInvalidSettings() {
    assertThatThrownBy(() -> RegistryServerConfig.builder().port(70_000).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryServerConfig.builder().defaultCompatibility("SIDEWAYS")
        .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SIDEWAYS");
    assertThatThrownBy(() -> RegistryServerConfig.builder().topicReplicationFactor((short) 0)
        .build()).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryServerConfig.builder().initTimeout(Duration.ZERO).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RegistryServerConfig.builder().schemasTopic(" ").build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldTreatBlankBootstrapServersAsInMemory() {
    assertThat(RegistryServerConfig.builder().kafkaBootstrapServers(" ").build()
        .kafkaBootstrapServers()).isEmpty();
  }

  @Test
  void shouldRedactSecretsWhenDescribed() {
    RegistryServerConfig config = RegistryServerConfig.builder()
        .kafkaClientProperties(Map.of(
            "sasl.jaas.config", "PlainLoginModule username=\"u\" password=\"hunter2\";",
            "ssl.truststore.password", "hunter3",
            "security.protocol", "SASL_SSL"))
        .build();

    assertThat(config.toString()).doesNotContain("hunter2").doesNotContain("hunter3")
        .contains("SASL_SSL");
  }
}
