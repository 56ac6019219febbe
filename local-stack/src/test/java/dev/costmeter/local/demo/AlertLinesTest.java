package dev.costmeter.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertAction;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class AlertLinesTest {

    @Test
    void shouldSayHowManyAlertsItDoesNotList() {
        List<Alert> alerts = new ArrayList<>(IntStream.range(0, 18).mapToObj(i -> spike("route:r" + i, AlertStatus.FIRING)).toList());
        alerts.add(spike("route:r0", AlertStatus.RESOLVED));

        String block = AlertLines.render(alerts, 6, Map.of());

        assertThat(block).startsWith("alerts: 18 fired, 1 resolved (latest 6 below, 13 more not shown)");
        assertThat(block.lines().count()).isEqualTo(7);
        assertThat(block.lines().skip(1).findFirst().orElseThrow()).contains("RESOLVED", "route:r0");
    }

    @Test
    void shouldListEveryAlertWhenThereAreFewEnough() {
        String block = AlertLines.render(List.of(spike("tenant:acme", AlertStatus.FIRING)), 6, Map.of());

        assertThat(block).startsWith("alerts: 1 fired, 0 resolved (latest first)").doesNotContain("more");
    }

    @Test
    void shouldNameTheFallbackModelOfADegrade() {
        Alert degrade = alert("budget_cap", "route:support-chat", AlertStatus.FIRING, 100, 50_000_123_456L, 50_000_000_000L,
                "nanos", AlertAction.DEGRADE);
        ControlCommand command = ControlCommand.newBuilder().setScope("route:support-chat").setAction(SwitchAction.DEGRADE)
                .setFallbackModel("claude-haiku-4-5-20251001").setReason("hourly cap").setIssuedAt(Instant.EPOCH)
                .setIssuer("alerting").setSequence(1).setKeyId("k").setSignature("s").build();

        String line = AlertLines.line(degrade, Map.of("route:support-chat", command));

        assertThat(line).contains("budget_cap 100%", "$50.000123 of $50.000000", "DEGRADE to claude-haiku-4-5-20251001");
    }

    @Test
    void shouldPrintEachUnitOneWay() {
        assertThat(AlertLines.figures(alert("retry_storm", "prompt:summarize@v8", AlertStatus.FIRING, null, 8_125, 5_000, "bps",
                AlertAction.NONE))).isEqualTo("81.25% of 50.00%");
        assertThat(AlertLines.figures(alert("tool_loop", "task:t", AlertStatus.FIRING, null, 8, 8, "calls", AlertAction.BLOCK)))
                .isEqualTo("8 of 8 calls");
        assertThat(AlertLines.figures(alert("spike", "tenant:acme", AlertStatus.FIRING, null, 1_234_567_890, 400_000_000, "nanos",
                AlertAction.NONE))).isEqualTo("$1.234568 of $0.400000");
    }

    private static Alert spike(String scope, AlertStatus status) {
        return alert("spike", scope, status, null, 2_000_000_000L, 1_000_000_000L, "nanos", AlertAction.NONE);
    }

    private static Alert alert(String rule, String scope, AlertStatus status, Integer pct, long observed, long limit, String unit,
            AlertAction action) {
        return Alert.newBuilder().setAlertId(java.util.UUID.randomUUID().toString()).setDedupKey(rule + "|" + scope).setRule(rule)
                .setScope(scope).setStatus(status).setSeverity(Severity.WARNING).setSummary("summary of " + rule)
                .setThresholdPct(pct).setObservedValue(observed).setLimitValue(limit).setUnit(unit).setWindow("PT5M")
                .setAction(action).setEmittedAt(Instant.EPOCH).build();
    }
}
