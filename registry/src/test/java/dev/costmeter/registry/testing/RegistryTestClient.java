package dev.costmeter.registry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small client for the registry's REST API, on {@link HttpClient}, for tests. */
public final class RegistryTestClient {

  public static final String SR_JSON = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).build();
  private final URI baseUri;

  public RegistryTestClient(URI baseUri) {
    this.baseUri = baseUri;
  }

  /** A response with its body parsed on demand. */
  public record Response(int status, String body, String contentType) {

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON: " + body, e);
      }
    }

    public int errorCode() {
      return json().path("error_code").asInt(-1);
    }

    public String message() {
      return json().path("message").asText();
    }
  }

  public Response get(String path) {
    return send("GET", path, null, Map.of());
  }

  public Response post(String path, String json) {
    return send("POST", path, json, Map.of());
  }

  public Response put(String path, String json) {
    return send("PUT", path, json, Map.of());
  }

  public Response delete(String path) {
    return send("DELETE", path, null, Map.of());
  }

  /** Sends any request; a JSON body goes with the Schema Registry content type unless overridden. */
  public Response send(String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(baseUri.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    if (body != null && !headers.containsKey("Content-Type")) {
      request.header("Content-Type", SR_JSON);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response = http.send(request.build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response.body(),
          response.headers().firstValue("Content-Type").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Registers a schema and returns its id, failing the test unless the registry answers 200. */
  public int register(String subject, String schema) {
    Response response = post("/subjects/" + subject + "/versions", schemaBody(schema));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("id").asInt();
  }

  /** Sets a subject's compatibility level, failing the test unless the registry answers 200. */
  public void setLevel(String subject, String level) {
    Response response = put("/config/" + subject, "{\"compatibility\":\"" + level + "\"}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  /** {@code {"schema": "<schema>"}}. */
  public static String schemaBody(String schema) {
    return body(Map.of("schema", schema));
  }

  /** A JSON object of the given fields. */
  public static String body(Map<String, ?> fields) {
    ObjectNode node = MAPPER.createObjectNode();
    fields.forEach((key, value) -> node.set(key, MAPPER.valueToTree(value)));
    return node.toString();
  }
}
