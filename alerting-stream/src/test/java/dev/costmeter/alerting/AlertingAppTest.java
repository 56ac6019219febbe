package dev.costmeter.alerting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.runtime.AppConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class AlertingAppTest {

    private static AlertingSettings settings(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>(AlertingApp.defaults());
        values.putAll(overrides);
        return AlertingApp.settings(AppConfig.of(AlertingApp.APP_NAME, values));
    }

    @Test
    void shouldRunLocallyOnTheDocumentedDefaults() {
        assertThat(AlertingApp.defaults()).containsEntry("application.id", "costmeter-alerting")
                .containsEntry("http.port", "8091").containsEntry("bootstrap.servers", "localhost:9092")
                .containsEntry("schema.registry.url", "http://localhost:8081");
        AlertingSettings s = settings(Map.of());
        assertThat(s.keyRing().signingKeyId()).isEqualTo("local-only-insecure");
        assertThat(s.rules()).isEqualTo(RuleSettings.defaults());
        assertThat(s.durableTaskState()).isTrue();
        assertThat(s.capFlushInterval()).isEqualTo(java.time.Duration.ofMillis(20));
        assertThat(s.topics().control()).isEqualTo("llm.control.v1");
    }

    @Test
    void shouldSignWithTheFirstConfiguredKey() {
        AlertingSettings s = settings(Map.of(AlertingApp.CONTROL_KEYS,
                "prod-2:cHJvZHVjdGlvbi1zZWNyZXQtb2YtYXQtbGVhc3QtMzItYnl0ZXM=," + AlertingApp.LOCAL_ONLY_KEY_RING));
        assertThat(s.keyRing().signingKeyId()).isEqualTo("prod-2");
    }

    @Test
    void shouldParseSilenceExpectationsAndRejectMalformedOnes() {
        assertThat(settings(Map.of("silence.routes", "nightly=25h, hourly-sync=90m")).rules().silence())
                .containsEntry("nightly", Duration.ofHours(25)).containsEntry("hourly-sync", Duration.ofMinutes(90));
        assertThatThrownBy(() -> settings(Map.of("silence.routes", "nightly"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRefuseAMissingOrShortSigningKey() {
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_KEYS, ""))).isInstanceOf(ConfigException.class);
        assertThatThrownBy(() -> settings(Map.of(AlertingApp.CONTROL_KEYS, "k:c2hvcnQ=")))
                .isInstanceOf(ConfigException.class);
    }

    @Test
    void shouldRefuseALoopLimitBelowTwo() {
        assertThatThrownBy(() -> settings(Map.of("loop.repeat.limit", "1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
