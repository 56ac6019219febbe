package dev.costmeter.registry.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/** Reading request bodies and writing response bodies as JSON. */
final class JsonBodies {

  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private JsonBodies() {
  }

  /**
   * Parses a body that must be a JSON object.
   *
   * @throws dev.costmeter.registry.subjects.RegistryException 400 for malformed JSON, 422 for JSON
   *     that is not an object
   */
  static JsonNode readObject(byte[] body) {
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw HttpErrors.malformedJson(e.getOriginalMessage());
    } catch (IOException e) {
      throw HttpErrors.malformedJson(e.getMessage());
    }
    if (node == null || node.isMissingNode() || !node.isObject()) {
      throw HttpErrors.unprocessable("expected a JSON object");
    }
    return node;
  }

  /**
   * A field that, when present and not null, must be a string.
   *
   * @throws dev.costmeter.registry.subjects.RegistryException 422 when it is not a string
   */
  static String optionalText(JsonNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw HttpErrors.unprocessable("field '" + field + "' must be a string");
    }
    return value.textValue();
  }

  static byte[] write(Object entity) throws JsonProcessingException {
    return MAPPER.writeValueAsBytes(entity);
  }
}
