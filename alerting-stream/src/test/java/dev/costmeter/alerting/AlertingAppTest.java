package dev.costmeter.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.alerting.control.ControlKeeper;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.schemas.control.ControlKeyPair;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AlertingAppTest {

    private static final ControlKeyPair PAIR = ControlKeyPair.generate("prod-2026-12");

    @TempDir
    Path dir;

    private static AlertingSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(AlertingApp.defaults());
        values.put(AlertingApp.CONTROL_SIGNING_KEY, PAIR.signingKeyText());
        values.put(AlertingApp.CONTROL_VERIFY_KEYS, PAIR.verifyKeyText());
        values.putAll(overrides);
        values.values().removeIf(String::isEmpty);
        return AlertingApp.settings(AppConfig.of(AlertingApp.APP_NAME, values));
    }

    @Test
    void shouldRunLocallyOnTheDocumentedDefaults() {
        assertThat(AlertingApp.defaults()).containsEntry("application.id", "costmeter-alerting")
                .containsEntry("http.port", "8091").containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("schema.registry.url", "http://localhost:8081")
                .as("required keys are listed, with no value").containsEntry(AlertingApp.CONTROL_SIGNING_KEY, "")
                .containsEntry(AlertingApp.CONTROL_VERIFY_KEYS, "");
        AlertingSettings s = settings(Map.of());
        assertThat(s.keyRing().signingKey().id()).isEqualTo("prod-2026-12");
        assertThat(s.rules()).isEqualTo(RuleSettings.defaults());
        assertThat(s.durableTaskState()).isTrue();
        assertThat(s.capFlushInterval()).isEqualTo(java.time.Duration.ofMillis(20));
        assertThat(s.topics().control()).isEqualTo("llm.control.v1");
        assertThat(s.keeper()).isEqualTo(ControlKeeper.Settings.defaults());
    }

    @Test
    void shouldRefuseToStartWithoutASigningKeyAndSayWhatToDo() {
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_SIGNING_KEY, ""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.signing.key is not set").hasMessageContaining("ships no key")
                .hasMessageContaining("costctl keys generate");
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_VERIFY_KEYS, ""))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.verify.keys is not set");
    }

    @Test
    void shouldRefuseTheHmacKeyOfTheEarlierVersion() {
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_SIGNING_KEY,
                "local-only-insecure:bG9jYWwtb25seS1pbnNlY3VyZS1jb3N0bWV0ZXIta2V5LTAx")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a PKCS#8 Ed25519 private key")
                .hasMessageNotContaining("bG9jYWwtb25seS1pbnNlY3VyZS1jb3N0bWV0ZXIta2V5LTAx");
    }

    @Test
    void shouldRefuseASigningKeyWhosePublicHalfItDoesNotTrust() {
        ControlKeyPair other = ControlKeyPair.generate("prod-2026-12");
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_VERIFY_KEYS, other.verifyKeyText())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("another key under that id");
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_VERIFY_KEYS, ControlKeyPair.generate("x").verifyKeyText())))
                .isInstanceOf(ConfigException.class).hasMessageContaining("must hold the public key of control.signing.key 'prod-2026-12'");
    }

    @Test
    void shouldReadTheSigningKeyFromAFileAndTrustSeveralPublicKeys() throws Exception {
        Path file = dir.resolve("signing.key");
        PAIR.writeSigningKey(file);
        ControlKeyPair operator = ControlKeyPair.generate("operator-alice");

        AlertingSettings s = settings(Map.of(AlertingApp.CONTROL_SIGNING_KEY, "file:" + file,
                AlertingApp.CONTROL_VERIFY_KEYS, operator.verifyKeyText() + "," + PAIR.verifyKeyText()));

        assertThat(s.keyRing().verifyKeys().ids()).containsExactly("operator-alice", "prod-2026-12");
    }

    @Test
    void shouldParseSilenceExpectationsAndRejectMalformedOnes() {
        assertThat(settings(Map.of("silence.routes", "nightly=25h, hourly-sync=90m")).rules().silence())
                .containsEntry("nightly", Duration.ofHours(25)).containsEntry("hourly-sync", Duration.ofMinutes(90));
        assertThatThrownBy(() -> settings(Map.of("silence.routes", "nightly"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRefuseALoopLimitBelowTwo() {
        assertThatThrownBy(() -> settings(Map.of("loop.repeat.limit", "1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
