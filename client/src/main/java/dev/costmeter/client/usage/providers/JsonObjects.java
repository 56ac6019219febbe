package dev.costmeter.client.usage.providers;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses a JSON object into maps, lists, strings, numbers and booleans with Jackson's streaming
 * parser. jackson-core is already on the classpath through Avro, so this costs no extra jar, and
 * the streaming API avoids pulling data binding into the mappers' contract.
 */
final class JsonObjects {

    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    private JsonObjects() {
    }

    /** The JSON object in {@code json}. */
    static Map<String, Object> parse(String provider, String json) {
        if (json == null || json.isBlank()) {
            throw new UsageShapeException(provider + ": the usage JSON is empty");
        }
        try (JsonParser parser = FACTORY.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new UsageShapeException(provider + ": the usage JSON is not an object");
            }
            Map<String, Object> object = readObject(parser);
            if (parser.nextToken() != null) {
                throw new UsageShapeException(provider + ": trailing content after the usage JSON object");
            }
            return object;
        } catch (IOException e) {
            throw new UsageShapeException(provider + ": the usage JSON is malformed: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> object = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            object.put(name, readValue(parser));
        }
        return object;
    }

    private static Object readValue(JsonParser parser) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberValue();
            case VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new UsageShapeException("unexpected JSON token " + parser.currentToken());
        };
    }
}
