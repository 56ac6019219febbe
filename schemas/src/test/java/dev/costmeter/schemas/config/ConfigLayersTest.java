package dev.costmeter.schemas.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLayersTest {

    @TempDir
    Path dir;

    @Test
    void shouldApplyDefaultsThenFileThenEnvironmentThenFlags() throws Exception {
        Path file = write("a.properties", "bootstrap.servers=file:9092\nsecurity.protocol=SASL_SSL\nnum.standby-replicas=2\n");

        Map<String, String> resolved = ConfigLayers.resolve(
                Map.of("bootstrap.servers", "default:9092", "application.id", "app", "state.dir", "/tmp/x"),
                Optional.of(file),
                Map.of("COSTMETER_BOOTSTRAP_SERVERS", "env:9092", "COSTMETER_NUM_STANDBY_REPLICAS", "3",
                        "COSTMETER_SASL_MECHANISM", "SCRAM-SHA-512", "COSTMETER_STATE_DIR", "/tmp/env"),
                DeprecatedNames.none(),
                Map.of("state.dir", "/tmp/flag"));

        assertThat(resolved).containsEntry("bootstrap.servers", "env:9092")
                .containsEntry("application.id", "app")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("num.standby-replicas", "3")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("state.dir", "/tmp/flag");
    }

    @Test
    void shouldReadTheFileNamedByCostmeterConfigFileWhenNoneIsGiven() throws Exception {
        Path file = write("client.properties", "security.protocol=SASL_SSL\n");

        Map<String, String> resolved = ConfigLayers.resolve(Map.of(), Optional.empty(),
                Map.of(ConfigLayers.CONFIG_FILE_ENV, file.toString()), DeprecatedNames.none(), Map.of());

        assertThat(resolved).containsExactly(Map.entry("security.protocol", "SASL_SSL"));
    }

    @Test
    void shouldPreferTheGivenFileOverCostmeterConfigFile() throws Exception {
        Path given = write("given.properties", "security.protocol=SSL\n");
        Path named = write("named.properties", "security.protocol=SASL_SSL\n");

        Map<String, String> resolved = ConfigLayers.resolve(Map.of(), Optional.of(given),
                Map.of(ConfigLayers.CONFIG_FILE_ENV, named.toString()), DeprecatedNames.none(), Map.of());

        assertThat(resolved).containsEntry("security.protocol", "SSL");
    }

    @Test
    void shouldHonourDeprecatedVariablesBelowTheirCostmeterSpelling() {
        DeprecatedNames old = DeprecatedNames.prefixed("TOPIC_", "topic.", "task-outcomes");

        Map<String, String> resolved = ConfigLayers.resolve(Map.of(), Optional.empty(), Map.of(
                "TOPIC_USAGE", "old.usage", "TOPIC_TASK_OUTCOMES", "old.outcomes",
                "TOPIC_CONTROL", "old.control", "COSTMETER_TOPIC_CONTROL", "new.control",
                "KAFKA_BOOTSTRAP_SERVERS", "old:9092"), old, Map.of());

        assertThat(resolved).containsEntry("topic.usage", "old.usage")
                .containsEntry("topic.task-outcomes", "old.outcomes")
                .containsEntry("topic.control", "new.control")
                .containsEntry("bootstrap.servers", "old:9092");
    }

    @Test
    void shouldRemoveAKeySetBlankInAHigherLayer() throws Exception {
        Path file = write("a.properties", "ssl.truststore.location=/x\n");

        Map<String, String> resolved = ConfigLayers.resolve(Map.of(), Optional.of(file),
                Map.of("COSTMETER_SSL_TRUSTSTORE_LOCATION", " "), DeprecatedNames.none(), Map.of());

        assertThat(resolved).doesNotContainKey("ssl.truststore.location");
    }

    @Test
    void shouldNotTreatTheConfigFileVariableAsAKey() {
        assertThatThrownBy(() -> ConfigLayers.resolve(Map.of(), Optional.empty(),
                Map.of(ConfigLayers.CONFIG_FILE_ENV, dir.resolve("missing.properties").toString()), DeprecatedNames.none(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void shouldRedactSecretsAndUrlCredentialsWhenDisplayed() {
        Map<String, String> shown = SecretRedaction.displayed(Map.of(
                "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"a\" password=\"p\";",
                "ssl.truststore.password", "secret",
                "schema.registry.url", "https://user:pass@registry:8081",
                "security.protocol", "SASL_SSL"));

        assertThat(shown).containsEntry("sasl.jaas.config", SecretRedaction.REDACTED)
                .containsEntry("ssl.truststore.password", SecretRedaction.REDACTED)
                .containsEntry("schema.registry.url", "https://[redacted]@registry:8081")
                .containsEntry("security.protocol", "SASL_SSL");
        assertThat(shown.toString()).doesNotContain("pass\"").doesNotContain("secret").doesNotContain("user:pass");
    }

    private Path write(String name, String text) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }
}
