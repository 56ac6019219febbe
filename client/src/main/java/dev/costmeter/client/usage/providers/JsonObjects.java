package dev.costmeter.client.usage.providers;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Map;

/**
 * Parses a JSON object into maps, lists, strings, numbers and booleans with Jackson data binding
 * (on the classpath already through the schemas module): integers as Integer, Long or BigInteger,
 * fractions as Double, the key order kept, the last of a repeated key winning, as the mappers expect
 * of any JSON library's maps.
 */
final class JsonObjects {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonObjects() {
    }

    /** The JSON object in {@code json}. */
    static Map<String, Object> parse(String provider, String json) {
        if (json == null || json.isBlank()) {
            throw new UsageShapeException(provider + ": the usage JSON is empty");
        }
        try (JsonParser parser = MAPPER.createParser(json)) {
            Object value = MAPPER.readValue(parser, Object.class);
            if (!(value instanceof Map<?, ?>)) {
                throw new UsageShapeException(provider + ": the usage JSON is not an object");
            }
            // read from the same parser, so anything after the object is seen, not silently ignored
            if (parser.nextToken() != null) {
                throw new UsageShapeException(provider + ": trailing content after the usage JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> object = (Map<String, Object>) value;
            return object;
        } catch (IOException e) {
            throw new UsageShapeException(provider + ": the usage JSON is malformed: " + e.getMessage(), e);
        }
    }
}
