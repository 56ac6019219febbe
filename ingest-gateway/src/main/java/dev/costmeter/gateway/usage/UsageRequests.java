package dev.costmeter.gateway.usage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bodies {@code POST /v1/usage} takes, by content type, each event parsed on its own so that one
 * bad event is refused with its reason while the others go through:
 *
 * <ul>
 *   <li>{@code application/json}: one usage event object, or an array of them ({@link UsageJson});</li>
 *   <li>{@code application/cloudevents+json}: one CloudEvent 1.0 in structured mode;</li>
 *   <li>{@code application/cloudevents-batch+json}: an array of them.</li>
 * </ul>
 *
 * A CloudEvent must have {@code specversion} 1.0 and {@code type} {@value #CLOUDEVENT_TYPE}; its
 * {@code data} is the usage event as JSON. Its {@code id} is the event id (the deduplication key, as
 * CloudEvents intends) and its {@code time} the event time, where {@code data} does not set them;
 * where it does, they must agree.
 */
public final class UsageRequests {

    /** The CloudEvents {@code type} of a usage event. */
    public static final String CLOUDEVENT_TYPE = "dev.costmeter.usage.v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private UsageRequests() {
    }

    /**
     * @throws IllegalArgumentException when the body as a whole cannot be read (not JSON, wrong
     *         shape, unsupported content type); a bad event inside a good body is an unparsable item
     */
    public static List<UsageSink.Item> parse(byte[] body, String contentType) {
        String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not JSON");
        }
        if (root == null) {
            throw new IllegalArgumentException("the body is empty");
        }
        boolean cloudEvents = switch (type) {
            case "application/json" -> false;
            case "application/cloudevents+json" -> {
                if (!root.isObject()) {
                    throw new IllegalArgumentException("application/cloudevents+json holds one event object; send arrays as"
                            + " application/cloudevents-batch+json");
                }
                yield true;
            }
            case "application/cloudevents-batch+json" -> {
                if (!root.isArray()) {
                    throw new IllegalArgumentException("application/cloudevents-batch+json is an array of events");
                }
                yield true;
            }
            default -> throw new IllegalArgumentException("unsupported content type '" + type + "': use application/json,"
                    + " application/cloudevents+json or application/cloudevents-batch+json");
        };
        List<JsonNode> nodes = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(nodes::add);
        } else if (root.isObject()) {
            nodes.add(root);
        } else {
            throw new IllegalArgumentException("expected a usage event object or an array of them");
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("no event in the request");
        }
        List<UsageSink.Item> items = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            try {
                JsonNode usage = cloudEvents ? fromCloudEvent(nodes.get(i)) : nodes.get(i);
                items.add(UsageSink.Item.parsed(i, UsageJson.parse(usage)));
            } catch (IllegalArgumentException e) {
                items.add(UsageSink.Item.unparsable(i, "invalid: " + e.getMessage()));
            }
        }
        return items;
    }

    private static JsonNode fromCloudEvent(JsonNode event) {
        if (!event.isObject()) {
            throw new IllegalArgumentException("a CloudEvent is a JSON object");
        }
        if (!"1.0".equals(event.path("specversion").asText(null))) {
            throw new IllegalArgumentException("specversion must be \"1.0\"");
        }
        if (!CLOUDEVENT_TYPE.equals(event.path("type").asText(null))) {
            throw new IllegalArgumentException("type must be \"" + CLOUDEVENT_TYPE + "\"");
        }
        String id = event.path("id").asText("");
        if (id.isBlank() || event.path("source").asText("").isBlank()) {
            throw new IllegalArgumentException("id and source are required");
        }
        String dataType = event.path("datacontenttype").asText("application/json");
        if (!dataType.startsWith("application/json")) {
            throw new IllegalArgumentException("datacontenttype must be application/json");
        }
        if (!(event.get("data") instanceof ObjectNode data)) {
            throw new IllegalArgumentException("data must be the usage event as a JSON object");
        }
        ObjectNode usage = data.deepCopy();
        if (!usage.has("event_id")) {
            usage.put("event_id", id);
        } else if (!usage.get("event_id").asText().equals(id)) {
            throw new IllegalArgumentException("data.event_id '" + usage.get("event_id").asText() + "' is not the id '" + id + "'");
        }
        if (!usage.has("event_time") && event.hasNonNull("time")) {
            try {
                usage.put("event_time", Instant.parse(event.get("time").asText()).toEpochMilli());
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("time '" + event.get("time").asText() + "' is not an RFC 3339 instant");
            }
        }
        return usage;
    }
}
