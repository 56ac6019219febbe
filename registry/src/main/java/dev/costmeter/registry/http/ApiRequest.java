package dev.costmeter.registry.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.costmeter.registry.subjects.SchemaRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** A routed request: decoded path parameters, query parameters and the request body. */
final class ApiRequest {

  private final Map<String, String> pathParams;
  private final Map<String, String> queryParams;
  private final byte[] body;

  ApiRequest(Map<String, String> pathParams, Map<String, String> queryParams, byte[] body) {
    this.pathParams = Map.copyOf(pathParams);
    this.queryParams = Map.copyOf(queryParams);
    this.body = body;
  }

  /** A path parameter declared by the route, e.g. {@code subject}. */
  String path(String name) {
    return Objects.requireNonNull(pathParams.get(name), name);
  }

  /** A boolean query parameter; true only for the value {@code true}, in any case. */
  boolean flag(String name) {
    String value = queryParams.get(name);
    return value != null && "true".equals(value.trim().toLowerCase(Locale.ROOT));
  }

  /** The body as a schema, as sent to the register, lookup and compatibility endpoints. */
  SchemaRequest schemaBody() {
    JsonNode node = JsonBodies.readObject(body);
    return new SchemaRequest(
        JsonBodies.optionalText(node, "schema"),
        JsonBodies.optionalText(node, "schemaType"),
        references(node.get("references")));
  }

  /** A text field of the body, null when absent. */
  String textField(String name) {
    return JsonBodies.optionalText(JsonBodies.readObject(body), name);
  }

  private static List<Object> references(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (node.getNodeType() != JsonNodeType.ARRAY) {
      throw HttpErrors.unprocessable("field 'references' must be an array");
    }
    List<Object> references = new ArrayList<>();
    node.forEach(references::add);
    return references;
  }
}
