package dev.costmeter.gateway.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Decodes an OTLP/HTTP trace export body, binary protobuf or JSON, into the official message.
 *
 * <p>OTLP's JSON mapping differs from protobuf's standard one in one place: {@code traceId},
 * {@code spanId} and {@code parentSpanId} (of spans and of their links) are hex strings, not base64
 * (OTLP specification, "JSON Protobuf Encoding"). They are rewritten to base64 before
 * {@link JsonFormat} parses the rest; unknown fields are ignored, as the specification asks of
 * receivers.
 */
public final class TraceRequests {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> ID_FIELDS = List.of("traceId", "spanId", "parentSpanId");

    private TraceRequests() {
    }

    /** The content types accepted, as OTLP/HTTP names them. */
    public enum Encoding {
        PROTOBUF, JSON;

        /**
         * @throws IllegalArgumentException for any other content type
         */
        public static Encoding of(String contentType) {
            String type = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
            return switch (type) {
                case "application/x-protobuf", "application/protobuf" -> PROTOBUF;
                case "application/json" -> JSON;
                default -> throw new IllegalArgumentException("unsupported content type '" + type
                        + "': OTLP/HTTP traces are application/x-protobuf or application/json");
            };
        }
    }

    /**
     * @throws IllegalArgumentException with the reason when the body is not a trace export request
     */
    public static ExportTraceServiceRequest decode(byte[] body, Encoding encoding) {
        return switch (encoding) {
            case PROTOBUF -> {
                try {
                    yield ExportTraceServiceRequest.parseFrom(body);
                } catch (InvalidProtocolBufferException e) {
                    throw new IllegalArgumentException("not an OTLP ExportTraceServiceRequest in protobuf: " + e.getMessage());
                }
            }
            case JSON -> fromJson(body);
        };
    }

    private static ExportTraceServiceRequest fromJson(byte[] body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not JSON: " + firstLine(e));
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("an OTLP JSON body is an object with resourceSpans");
        }
        for (JsonNode resourceSpans : root.path("resourceSpans")) {
            for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
                for (JsonNode span : scopeSpans.path("spans")) {
                    hexIdsToBase64(span);
                    for (JsonNode link : span.path("links")) {
                        hexIdsToBase64(link);
                    }
                }
            }
        }
        ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
        try {
            JsonFormat.parser().ignoringUnknownFields().merge(JSON.writeValueAsString(root), request);
        } catch (InvalidProtocolBufferException | JsonProcessingException e) {
            throw new IllegalArgumentException("not an OTLP ExportTraceServiceRequest in JSON: " + e.getMessage());
        }
        return request.build();
    }

    private static void hexIdsToBase64(JsonNode node) {
        if (!(node instanceof ObjectNode object)) {
            return;
        }
        for (String field : ID_FIELDS) {
            JsonNode id = object.get(field);
            if (id == null || id.isNull()) {
                continue;
            }
            if (!id.isTextual()) {
                throw new IllegalArgumentException(field + " must be a hex string");
            }
            byte[] bytes;
            try {
                bytes = HEX.parseHex(id.asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(field + " '" + id.asText() + "' is not hex (OTLP JSON encodes ids as hex)");
            }
            object.put(field, Base64.getEncoder().encodeToString(bytes));
        }
    }

    private static String firstLine(Exception e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
