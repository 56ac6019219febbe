package dev.costmeter.runtime.http;

/**
 * What a {@link JsonRoute} answers: an HTTP status and a body that Jackson serialises (a record,
 * a map, a list, a {@link com.fasterxml.jackson.databind.JsonNode}; {@link java.time.Instant}s
 * are written as ISO-8601 strings, {@link java.util.Optional}s as their value or null).
 */
public record JsonResponse(int status, Object body) {

    /** 200 with {@code body}. */
    public static JsonResponse ok(Object body) {
        return new JsonResponse(200, body);
    }
}
