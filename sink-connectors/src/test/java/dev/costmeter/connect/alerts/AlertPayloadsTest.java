package dev.costmeter.connect.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.connect.fixtures.Records;
import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.Severity;
import java.util.Optional;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class AlertPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode body(AlertFormat format, Alert alert) throws Exception {
        Endpoint endpoint = new Endpoint("e", new Password("https://example.test/hook"), format,
                format == AlertFormat.PAGERDUTY ? Optional.of(new Password("RK")) : Optional.empty(), 60, 10);
        return JSON.readTree(AlertPayloads.body(endpoint, alert));
    }

    @Test
    void shouldTriggerAPagerDutyIncidentKeyedByTheDedupKey() throws Exception {
        JsonNode event = body(AlertFormat.PAGERDUTY, Records.alert("budget:acme:95", AlertStatus.FIRING, Severity.CRITICAL).build());
        assertThat(event.get("routing_key").asText()).isEqualTo("RK");
        assertThat(event.get("event_action").asText()).isEqualTo("trigger");
        assertThat(event.get("dedup_key").asText()).isEqualTo("budget:acme:95");
        JsonNode payload = event.get("payload");
        assertThat(payload.get("severity").asText()).isEqualTo("critical");
        assertThat(payload.get("source").asText()).isEqualTo("costmeter");
        assertThat(payload.get("summary").asText()).isEqualTo("acme spent 95% of its daily budget");
        assertThat(payload.get("timestamp").asText()).isEqualTo("2026-11-27T10:15:30Z");
        assertThat(payload.get("component").asText()).isEqualTo("tenant=acme");
        assertThat(payload.get("custom_details").get("observed_value").asLong()).isEqualTo(95_000_000_000L);
    }

    @Test
    void shouldResolveThePagerDutyIncidentWithTheSameDedupKey() throws Exception {
        JsonNode event = body(AlertFormat.PAGERDUTY, Records.alert("budget:acme:95", AlertStatus.RESOLVED, Severity.CRITICAL).build());
        assertThat(event.get("event_action").asText()).isEqualTo("resolve");
        assertThat(event.get("dedup_key").asText()).isEqualTo("budget:acme:95");
        assertThat(event.has("payload")).isFalse();
    }

    @Test
    void shouldMapEverySeverityToPagerDutys() {
        assertThat(AlertPayloads.pagerDutySeverity(Severity.INFO)).isEqualTo("info");
        assertThat(AlertPayloads.pagerDutySeverity(Severity.WARNING)).isEqualTo("warning");
        assertThat(AlertPayloads.pagerDutySeverity(Severity.CRITICAL)).isEqualTo("critical");
    }

    @Test
    void shouldWriteASlackMessageWithFallbackTextAndEscapedBlocks() throws Exception {
        Alert alert = Records.alert("k", AlertStatus.FIRING, Severity.WARNING).setSummary("spend <script> & more").build();
        JsonNode message = body(AlertFormat.SLACK, alert);
        assertThat(message.get("text").asText())
                .isEqualTo(":warning: FIRING WARNING budget_cap on tenant=acme: spend <script> & more");
        assertThat(message.get("blocks").get(0).get("type").asText()).isEqualTo("header");
        assertThat(message.get("blocks").get(1).get("text").get("text").asText())
                .isEqualTo("spend &lt;script&gt; &amp; more");
        assertThat(message.get("blocks").get(1).get("fields").get(0).get("text").asText())
                .isEqualTo("*Observed*\n95000000000 nanos");
    }

    @Test
    void shouldCarryEveryAlertFieldInGenericJsonWithExactMoney() throws Exception {
        JsonNode json = body(AlertFormat.JSON, Records.alert("k", AlertStatus.FIRING, Severity.INFO).build());
        assertThat(json.get("dedup_key").asText()).isEqualTo("k");
        assertThat(json.get("status").asText()).isEqualTo("FIRING");
        assertThat(json.get("limit_value").isIntegralNumber()).isTrue();
        assertThat(json.get("limit_value").asLong()).isEqualTo(100_000_000_000L);
        assertThat(json.get("top_contributors").get(0).get("cost_nanos").asLong()).isEqualTo(40_000_000_000L);
        assertThat(json.get("emitted_at").asText()).isEqualTo("2026-11-27T10:15:30Z");
        assertThat(json.get("period_start").isNull()).isTrue();
    }
}
