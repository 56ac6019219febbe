package dev.costmeter.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTTP side of {@code costctl status}: the schema registry, the stream apps' readiness, and Kafka
 * Connect's connectors, through which PostgreSQL is seen (the ledger sink is what writes to it).
 */
final class ServiceChecks {

    /** The ledger sink's class; its state stands for PostgreSQL's. */
    static final String LEDGER_SINK_CLASS = "dev.costmeter.connect.ledger.LedgerSinkConnector";

    private final HttpProbe http;

    ServiceChecks(HttpProbe http) {
        this.http = http;
    }

    /** {@code GET /subjects}: the registry answers with its subject list. */
    Check registry(String url) {
        HttpProbe.Answer answer = http.get(base(url) + "/subjects");
        if (!answer.answered()) {
            return Check.unhealthy("schema registry", url, answer.failure());
        }
        if (answer.status() != 200) {
            return Check.unhealthy("schema registry", url, "HTTP " + answer.status() + " to GET /subjects");
        }
        JsonNode subjects = parse(answer.body());
        return subjects != null && subjects.isArray()
                ? Check.ok("schema registry", url, subjects.size() + " subject(s)")
                : Check.unhealthy("schema registry", url, "GET /subjects did not answer a JSON list");
    }

    /** {@code GET /health/ready}: 200 when the stream app is RUNNING. */
    Check ready(String component, String url) {
        HttpProbe.Answer answer = http.get(base(url) + "/health/ready");
        if (!answer.answered()) {
            return Check.unhealthy(component, url, answer.failure());
        }
        return answer.status() == 200
                ? Check.ok(component, url, "ready")
                : Check.unhealthy(component, url, "not ready: HTTP " + answer.status() + " " + oneLine(answer.body()));
    }

    /**
     * {@code GET /connectors?expand=status&expand=info}: one check for Connect, one per connector
     * (healthy when it and every task are RUNNING), and one for PostgreSQL from the ledger sink.
     */
    List<Check> connect(String url) {
        List<Check> checks = new ArrayList<>();
        HttpProbe.Answer answer = http.get(base(url) + "/connectors?expand=status&expand=info");
        JsonNode connectors = answer.answered() && answer.status() == 200 ? parse(answer.body()) : null;
        if (connectors == null || !connectors.isObject()) {
            String why = !answer.answered() ? answer.failure()
                    : answer.status() != 200 ? "HTTP " + answer.status() + " to GET /connectors" : "GET /connectors did not answer JSON";
            checks.add(Check.unhealthy("kafka connect", url, why));
            checks.add(Check.unhealthy("postgresql", "via ledger sink", "unknown: Kafka Connect is " + why));
            return checks;
        }
        checks.add(Check.ok("kafka connect", url, connectors.size() + " connector(s)"));
        Check ledger = null;
        for (Map.Entry<String, JsonNode> connector : connectors.properties()) {
            Check check = connector(url, connector.getKey(), connector.getValue());
            checks.add(check);
            String type = connector.getValue().path("info").path("config").path("connector.class").asText("");
            if (ledger == null && type.equals(LEDGER_SINK_CLASS)) {
                ledger = new Check("postgresql", "via ledger sink " + connector.getKey(), check.healthy(),
                        check.healthy() ? "the ledger sink is writing" : "the ledger sink is not running: " + check.detail());
            }
        }
        checks.add(ledger != null ? ledger
                : Check.unhealthy("postgresql", "via ledger sink", "no connector of class " + LEDGER_SINK_CLASS + " on Connect"));
        return checks;
    }

    private static Check connector(String url, String name, JsonNode entry) {
        JsonNode status = entry.path("status");
        String state = status.path("connector").path("state").asText("UNKNOWN");
        boolean healthy = state.equals("RUNNING");
        List<String> tasks = new ArrayList<>();
        String trace = null;
        for (JsonNode task : status.path("tasks")) {
            String taskState = task.path("state").asText("UNKNOWN");
            tasks.add(task.path("id").asText("?") + ":" + taskState);
            if (!taskState.equals("RUNNING")) {
                healthy = false;
                if (trace == null && task.hasNonNull("trace")) {
                    trace = oneLine(task.get("trace").asText());
                }
            }
        }
        if (tasks.isEmpty()) {
            healthy = false;
        }
        String detail = state + "; tasks " + (tasks.isEmpty() ? "none" : String.join(" ", tasks)) + (trace == null ? "" : "; " + trace);
        return new Check("connector " + name, url, healthy, detail);
    }

    private static JsonNode parse(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** The first line of a body or stack trace, short enough for a table cell. */
    static String oneLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }

    private static String base(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
