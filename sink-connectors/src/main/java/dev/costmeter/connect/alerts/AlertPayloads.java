package dev.costmeter.connect.alerts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.Contributor;
import dev.costmeter.contracts.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;

/**
 * Turns an {@link Alert} into the body each {@link AlertFormat} expects. Secrets (the PagerDuty
 * routing key) enter only the body, never a log line.
 */
public final class AlertPayloads {

    static final String SOURCE = "costmeter";
    private static final int PAGERDUTY_SUMMARY_MAX = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AlertPayloads() {
    }

    /** The UTF-8 body for {@code endpoint}. */
    public static byte[] body(Endpoint endpoint, Alert alert) {
        ObjectNode body = switch (endpoint.format()) {
            case JSON -> genericJson(alert);
            case SLACK -> slack(alert);
            case PAGERDUTY -> pagerDuty(alert, endpoint.routingKey().orElseThrow().value());
        };
        try {
            return JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write an alert as JSON", e);
        }
    }

    /** Every field of the alert under its Avro name; times as ISO-8601 UTC, enums by name. */
    static ObjectNode genericJson(Alert alert) {
        ObjectNode node = JSON.createObjectNode();
        for (Schema.Field field : alert.getSchema().getFields()) {
            node.set(field.name(), JSON.valueToTree(plain(alert.get(field.pos()))));
        }
        return node;
    }

    /**
     * A PagerDuty Events API v2 event. FIRING triggers and RESOLVED resolves, both with the alert's
     * dedup_key, so PagerDuty opens one incident per condition and closes it by itself.
     */
    static ObjectNode pagerDuty(Alert alert, String routingKey) {
        ObjectNode event = JSON.createObjectNode();
        event.put("routing_key", routingKey);
        event.put("event_action", alert.getStatus() == AlertStatus.FIRING ? "trigger" : "resolve");
        event.put("dedup_key", alert.getDedupKey());
        if (alert.getStatus() == AlertStatus.FIRING) {
            ObjectNode payload = event.putObject("payload");
            payload.put("summary", truncate(alert.getSummary(), PAGERDUTY_SUMMARY_MAX));
            payload.put("source", SOURCE);
            payload.put("severity", pagerDutySeverity(alert.getSeverity()));
            payload.put("timestamp", alert.getEmittedAt().toString());
            payload.put("component", alert.getScope());
            payload.put("group", alert.getRule());
            payload.put("class", alert.getRule());
            ObjectNode details = genericJson(alert);
            details.remove("summary");
            payload.set("custom_details", details);
        }
        return event;
    }

    /** INFO, WARNING and CRITICAL map to PagerDuty's info, warning and critical. */
    static String pagerDutySeverity(Severity severity) {
        return switch (severity) {
            case INFO -> "info";
            case WARNING -> "warning";
            case CRITICAL -> "critical";
        };
    }

    /** A Slack incoming-webhook message: {@code text} for notifications, {@code blocks} for the channel. */
    static ObjectNode slack(Alert alert) {
        String headline = (alert.getStatus() == AlertStatus.FIRING ? slackEmoji(alert.getSeverity()) + " FIRING " : ":white_check_mark: RESOLVED ")
                + alert.getSeverity() + " " + alert.getRule() + " on " + alert.getScope();
        ObjectNode message = JSON.createObjectNode();
        message.put("text", headline + ": " + alert.getSummary());
        ArrayNode blocks = message.putArray("blocks");
        ObjectNode header = blocks.addObject();
        header.put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", truncate(headline, 150));
        ObjectNode section = blocks.addObject();
        section.put("type", "section");
        section.putObject("text").put("type", "mrkdwn").put("text", escapeMrkdwn(alert.getSummary()));
        ArrayNode fields = section.putArray("fields");
        field(fields, "Observed", alert.getObservedValue() + " " + alert.getUnit());
        field(fields, "Limit", alert.getLimitValue() + " " + alert.getUnit());
        field(fields, "Window", alert.getWindow());
        field(fields, "Action", alert.getAction().name());
        ObjectNode context = blocks.addObject();
        context.put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn")
                .put("text", escapeMrkdwn("dedup_key " + alert.getDedupKey() + " · emitted " + alert.getEmittedAt()));
        return message;
    }

    private static void field(ArrayNode fields, String label, String value) {
        fields.addObject().put("type", "mrkdwn").put("text", "*" + label + "*\n" + escapeMrkdwn(value));
    }

    private static String slackEmoji(Severity severity) {
        return switch (severity) {
            case INFO -> ":information_source:";
            case WARNING -> ":warning:";
            case CRITICAL -> ":rotating_light:";
        };
    }

    /** Slack's three control characters; anything else in mrkdwn is the user's text. */
    static String escapeMrkdwn(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    private static Object plain(Object value) {
        if (value instanceof Instant instant) {
            return instant.toString();
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof Contributor c) {
            Map<String, Object> contributor = new TreeMap<>();
            contributor.put("id", c.getId());
            contributor.put("cost_nanos", c.getCostNanos());
            contributor.put("calls", c.getCalls());
            return contributor;
        }
        if (value instanceof java.util.List<?> list) {
            return list.stream().map(AlertPayloads::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new TreeMap<>();
            map.forEach((k, v) -> copy.put(k.toString(), plain(v)));
            return copy;
        }
        return value;
    }
}
