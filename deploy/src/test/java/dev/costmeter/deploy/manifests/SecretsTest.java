package dev.costmeter.deploy.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.runtime.config.AppConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Secrets hold placeholders only, and every reference to a secret finds it. */
class SecretsTest {

    static final String PLACEHOLDER = "REPLACE_ME";

    @Test
    void shouldShipOnlyPlaceholdersForSecretValues() {
        List<JsonNode> secrets = DeployFiles.kubernetesResources("Secret");

        assertThat(secrets).extracting(s -> s.path("metadata").path("name").asText())
                .contains("costmeter-control-keys", "costmeter-ledger-db");
        for (JsonNode secret : secrets) {
            assertThat(secret.has("data")).as("no base64 data: it hides what is committed").isFalse();
            secret.path("stringData").fields().forEachRemaining(e -> {
                if (AppConfig.isSensitive(e.getKey())) {
                    assertThat(e.getValue().asText()).as(secret.path("metadata").path("name") + " " + e.getKey())
                            .isEqualTo(PLACEHOLDER);
                }
            });
        }
    }

    @Test
    void shouldReferenceOnlySecretKeysThatExist() {
        List<JsonNode> references = new ArrayList<>();
        for (Workloads.Container container : Workloads.containers()) {
            container.container().path("env").forEach(var -> references.add(var.path("valueFrom").path("secretKeyRef")));
        }
        for (JsonNode connect : DeployFiles.kubernetesResources("KafkaConnect")) {
            connect.path("spec").path("template").path("connectContainer").path("env")
                    .forEach(var -> references.add(var.path("valueFrom").path("secretKeyRef")));
        }
        List<JsonNode> secrets = DeployFiles.kubernetesResources("Secret");
        // Strimzi's User Operator makes a Secret per KafkaUser, named after it, holding these keys.
        List<String> kafkaUsers = DeployFiles.kubernetesResources("KafkaUser").stream()
                .map(u -> u.path("metadata").path("name").asText()).toList();
        long checked = references.stream().filter(ref -> !ref.isMissingNode()).peek(ref -> {
            if (kafkaUsers.contains(ref.path("name").asText())) {
                assertThat(ref.path("key").asText()).as(ref.toString()).isIn("password", "sasl.jaas.config");
                return;
            }
            JsonNode secret = secrets.stream()
                    .filter(s -> s.path("metadata").path("name").asText().equals(ref.path("name").asText()))
                    .findFirst().orElseThrow(() -> new AssertionError("No Secret " + ref.path("name")));
            assertThat(secret.path("stringData").has(ref.path("key").asText())).as(ref.toString()).isTrue();
        }).count();
        assertThat(checked).isGreaterThanOrEqualTo(3);
    }

    @Test
    void shouldReadTheKillSwitchKeysOfAlertingFromTheSecret() {
        for (Workloads.Container container : Workloads.containersOf(App.ALERTING)) {
            for (String name : List.of("COSTMETER_CONTROL_SIGNING_KEY", "COSTMETER_CONTROL_VERIFY_KEYS")) {
                JsonNode keys = null;
                for (JsonNode var : container.container().path("env")) {
                    if (var.path("name").asText().equals(name)) {
                        keys = var;
                    }
                }
                assertThat(keys).as(container.workloadName() + " sets " + name + ": alerting-stream ships no key").isNotNull();
                assertThat(keys.path("valueFrom").path("secretKeyRef").path("name").asText()).isEqualTo("costmeter-control-keys");
            }
        }
    }
}
