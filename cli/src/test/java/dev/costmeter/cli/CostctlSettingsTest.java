package dev.costmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostctlSettingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldTakeTheFileThenTheEnvironmentThenTheOptions() throws Exception {
        Path file = dir.resolve("operator.properties");
        Files.writeString(file, String.join("\n", "bootstrap.servers=file:9093", "schema.registry.url=http://file:8081",
                "topic.prices=file.prices", "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"op\" password=\"s3cret\";",
                "basic.auth.credentials.source=USER_INFO", "basic.auth.user.info=op:pw", ""));

        CostctlSettings settings = CostctlSettings.resolve(Optional.of(file),
                Map.of("COSTMETER_SCHEMA_REGISTRY_URL", "http://env:8081", "TOPIC_CONTROL", "old.control"),
                Map.of("bootstrap.servers", "flag:9093"));

        assertThat(settings.bootstrapServers()).isEqualTo("flag:9093");
        assertThat(settings.schemaRegistryUrl()).isEqualTo("http://env:8081");
        assertThat(settings.pricesTopic()).isEqualTo("file.prices");
        assertThat(settings.controlTopic()).isEqualTo("old.control");
        assertThat(settings.budgetsTopic()).isEqualTo("llm.budgets.v1");
        assertThat(settings.kafkaSecurity()).containsOnlyKeys("security.protocol", "sasl.mechanism", "sasl.jaas.config");
        assertThat(settings.registryClientProperties()).containsOnlyKeys("basic.auth.credentials.source", "basic.auth.user.info");
        assertThat(settings.toString()).doesNotContain("s3cret").doesNotContain("op:pw");
    }

    @Test
    void shouldPassTheSecurityOfItsConfigFileToEveryKafkaClient() throws Exception {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        Costctl costctl = new Costctl(CostctlRun.CLOCK, java.time.Duration.ZERO, name -> null, Map.of());
        Costctl.commandLine(costctl).parseArgs("--config", file.toString(), "status");

        assertThat(dev.costmeter.cli.kafka.CompactedTopic.KafkaProps.common(costctl.connection()))
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("bootstrap.servers", "localhost:9092");
    }
}
