package dev.costmeter.alerting.state;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * JSON for the app's own state and its one repartition topic: a format byte, then the JSON of a
 * Java record. State is private to the app and small, so it needs no registry; JSON keeps it
 * readable in a changelog dump, and unknown fields are ignored so a field can be added without a
 * migration. The format byte leaves room for one when a field changes meaning.
 */
public final class JsonStateSerde {

    private static final byte FORMAT_V1 = 1;
    // Map keys in state are data (tool-call keys, task ids), not a fixed set of field names:
    // interning and canonicalizing them, Jackson's defaults, cost more than the whole rule check.
    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .build())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonStateSerde() {
    }

    public static <T> Serde<T> of(Class<T> type) {
        Serializer<T> serializer = (topic, value) -> {
            if (value == null) {
                return null;
            }
            try {
                byte[] json = MAPPER.writeValueAsBytes(value);
                byte[] out = new byte[json.length + 1];
                out[0] = FORMAT_V1;
                System.arraycopy(json, 0, out, 1, json.length);
                return out;
            } catch (IOException e) {
                throw new SerializationException("Cannot encode " + type.getSimpleName(), e);
            }
        };
        Deserializer<T> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length == 0 || bytes[0] != FORMAT_V1) {
                throw new SerializationException("Unknown state format for " + type.getSimpleName());
            }
            try {
                return MAPPER.readValue(bytes, 1, bytes.length - 1, type);
            } catch (IOException e) {
                throw new SerializationException("Cannot decode " + type.getSimpleName(), e);
            }
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
