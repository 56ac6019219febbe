package dev.costmeter.runtime.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON mapper of the ops server and error bodies. java.time values are written as ISO-8601
 * strings ({@code Instant.toString()}, {@code Duration.toString()}), not as numbers, and an empty
 * Optional as {@code null}: the bodies clients already parse.
 */
final class JsonBodies {

    static final String RETRY_MESSAGE = "state not queryable yet (rebalancing or restoring); retry";

    static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS);

    private JsonBodies() {
    }

    static Map<String, Object> error(String message, boolean retryable) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("retryable", retryable);
        return body;
    }

    static Map<String, Object> status(String status, String state, String reason) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("state", state);
        if (reason != null) {
            body.put("reason", reason);
        }
        return body;
    }
}
