package dev.costmeter.cli.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.http.RoutedHttpServer;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * status against real HTTP servers answering as the registry, the stream apps and Kafka Connect do,
 * with Kafka not listening (the IT covers a live broker).
 */
class StatusCommandTest {

    static final String CONNECTORS = """
            {"costmeter-ledger":{"status":{"name":"costmeter-ledger","connector":{"state":"RUNNING","worker_id":"w:8083"},
               "tasks":[{"id":0,"state":"RUNNING","worker_id":"w:8083"},
                        {"id":1,"state":"FAILED","worker_id":"w:8083",
                         "trace":"org.apache.kafka.connect.errors.ConnectException: org.postgresql.util.PSQLException: Connection refused\\n\\tat x"}],
               "type":"sink"},
              "info":{"name":"costmeter-ledger","config":{"connector.class":"dev.costmeter.connect.ledger.LedgerSinkConnector"},
               "tasks":[],"type":"sink"}},
             "costmeter-alerts":{"status":{"name":"costmeter-alerts","connector":{"state":"RUNNING","worker_id":"w:8083"},
               "tasks":[{"id":0,"state":"RUNNING","worker_id":"w:8083"}],"type":"sink"},
              "info":{"name":"costmeter-alerts","config":{"connector.class":"dev.costmeter.connect.alerts.AlertSinkConnector"},
               "tasks":[],"type":"sink"}}}
            """;

    private RoutedHttpServer registry;
    private RoutedHttpServer metering;
    private RoutedHttpServer alerting;
    private RoutedHttpServer connect;
    private String kafka;

    @BeforeEach
    void start() throws Exception {
        registry = new RoutedHttpServer().route("/subjects", 200, "[\"llm.usage.v1-value\",\"llm.ledger.v1-value\"]");
        metering = new RoutedHttpServer().route("/health/ready", 200, "{\"state\":\"RUNNING\"}");
        alerting = new RoutedHttpServer().route("/health/ready", 503, "{\"state\":\"REBALANCING\"}");
        connect = new RoutedHttpServer().route("/connectors", 200, CONNECTORS);
        try (ServerSocket socket = new ServerSocket(0)) {
            kafka = "127.0.0.1:" + socket.getLocalPort();
        }
    }

    @AfterEach
    void stop() {
        registry.close();
        metering.close();
        alerting.close();
        connect.close();
    }

    @Test
    void shouldReportEachComponentWithItsAddressAndFailWhenAnyIsUnhealthy() {
        CostctlRun run = status();

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.FAILED);
        Map<String, String> lines = new HashMap<>();
        run.out().lines().skip(2).forEach(line -> lines.put(line.split("  ")[0], line));
        assertThat(lines.get("schema registry")).contains(registry.url()).contains(" ok ").endsWith("2 subject(s)");
        assertThat(lines.get("metering-stream")).contains(metering.url()).contains(" ok ").endsWith("ready");
        assertThat(lines.get("alerting-stream")).contains(alerting.url())
                .endsWith("UNHEALTHY  not ready: HTTP 503 {\"state\":\"REBALANCING\"}");
        assertThat(lines.get("kafka connect")).contains(connect.url()).endsWith("ok         2 connector(s)");
        assertThat(lines.get("connector costmeter-ledger")).endsWith("UNHEALTHY  RUNNING; tasks 0:RUNNING 1:FAILED; "
                + "org.apache.kafka.connect.errors.ConnectException: org.postgresql.util.PSQLException: Connection refused");
        assertThat(lines.get("connector costmeter-alerts")).endsWith("ok         RUNNING; tasks 0:RUNNING");
        assertThat(lines.get("postgresql")).contains("via ledger sink costmeter-ledger")
                .contains("UNHEALTHY  the ledger sink is not running: RUNNING; tasks 0:RUNNING 1:FAILED");
        assertThat(lines.get("kafka")).contains(kafka).endsWith("UNHEALTHY  not reachable (no broker answered within 1s)");
        assertThat(lines.get("metering-stream lag")).contains("group costmeter-metering").contains("UNHEALTHY");
        assertThat(lines.get("alerting-stream lag")).contains("group costmeter-alerting").contains("UNHEALTHY");
        assertThat(lines.get("switches in force")).contains("topic llm.control.v1").contains("UNHEALTHY");
        assertThat(run.out()).endsWith("7 of 11 checks unhealthy.\n");
        assertThat(connect.requests()).singleElement().hasToString("/connectors?expand=status&expand=info");
    }

    @Test
    void shouldPrintTheSameChecksAsJson() throws Exception {
        CostctlRun run = status("--output", "json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("healthy").asBoolean()).isFalse();
        assertThat(json.get("checks")).hasSize(11);
        assertThat(json.get("checks").get(1).get("component").asText()).isEqualTo("schema registry");
        assertThat(json.get("checks").get(1).get("healthy").asBoolean()).isTrue();
    }

    @Test
    void shouldNameAServiceThatIsNotListening() {
        registry.close();

        CostctlRun run = status();

        assertThat(run.out()).containsPattern("schema registry +" + registry.url() + " +UNHEALTHY +not reachable \\(connection refused\\)");
    }

    private CostctlRun status(String... extra) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of(extra));
        args.addAll(java.util.List.of("status", "--timeout", "1", "--bootstrap-servers", kafka,
                "--schema-registry-url", registry.url(), "--metering-url", metering.url(), "--alerting-url", alerting.url(),
                "--connect-url", connect.url()));
        return CostctlRun.of(args.toArray(String[]::new));
    }
}
