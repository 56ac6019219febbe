package dev.costmeter.registry.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.costmeter.registry.auth.RegistryAccess;
import dev.costmeter.registry.store.StoreException;
import dev.costmeter.registry.store.StoreTimeoutException;
import dev.costmeter.registry.subjects.RegistryException;
import dev.costmeter.registry.subjects.SubjectRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's REST API on the JDK HTTP server: negotiates content types, routes, and turns
 * every failure into a Confluent error body. No stack trace ever reaches a client.
 */
public final class RegistryHttpHandler implements HttpHandler {

  /** Schemas are small; this only stops a runaway client from exhausting memory. */
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private static final Logger log = LoggerFactory.getLogger(RegistryHttpHandler.class);

  private final Router router = new Router();
  private final RegistryAccess access;

  public RegistryHttpHandler(SubjectRegistry registry) {
    this(registry, RegistryAccess.open());
  }

  /** As {@link #RegistryHttpHandler(SubjectRegistry)}, letting through only what {@code access} allows. */
  public RegistryHttpHandler(SubjectRegistry registry, RegistryAccess access) {
    this.access = access;
    RootResources.addTo(router, access.readOnly());
    SchemaResources.addTo(router, registry.lookups());
    SubjectResources.addTo(router, registry);
    CompatibilityResources.addTo(router, registry.registration());
    ConfigResources.addTo(router, registry.settings());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String contentType = MediaTypes.SCHEMA_REGISTRY_V1_JSON;
    try {
      access.check(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
          exchange.getRequestHeaders().getFirst("Authorization"));
      contentType = MediaTypes.responseType(exchange.getRequestHeaders().getFirst("Accept"));
      Router.Match match = router.match(
          exchange.getRequestMethod(), exchange.getRequestURI().getRawPath());
      byte[] body = readBody(exchange);
      if (body.length > 0) {
        MediaTypes.checkRequestType(exchange.getRequestHeaders().getFirst("Content-Type"));
      }
      ApiResponse response = match.route().handle(new ApiRequest(
          match.pathParams(), queryParams(exchange.getRequestURI().getRawQuery()), body));
      byte[] payload = response.rawJson() != null
          ? response.rawJson().getBytes(StandardCharsets.UTF_8)
          : JsonBodies.write(response.entity());
      send(exchange, response.status(), contentType, payload);
    } catch (RegistryException e) {
      log.debug("{} {} refused: {} {}", exchange.getRequestMethod(),
          exchange.getRequestURI(), e.errorCode(), e.getMessage());
      if (e.httpStatus() == 401) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + RegistryAccess.REALM + "\"");
      }
      sendError(exchange, contentType, e.httpStatus(), e.errorCode(), e.getMessage());
    } catch (StoreTimeoutException e) {
      log.warn("{} {} timed out in the store", exchange.getRequestMethod(),
          exchange.getRequestURI(), e);
      sendError(exchange, contentType, 500, 50002, "Operation timed out: " + e.getMessage());
    } catch (StoreException e) {
      log.error("{} {} failed in the store", exchange.getRequestMethod(),
          exchange.getRequestURI(), e);
      sendError(exchange, contentType, 500, 50001, "Error in the backend data store: "
          + e.getMessage());
    } catch (RuntimeException e) {
      log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
      sendError(exchange, contentType, 500, 500, "Internal Server Error");
    } finally {
      exchange.close();
    }
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        throw HttpErrors.tooLarge(MAX_BODY_BYTES);
      }
      return body;
    }
  }

  private static Map<String, String> queryParams(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq),
            StandardCharsets.UTF_8);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1),
            StandardCharsets.UTF_8);
        params.putIfAbsent(name, value);
      } catch (IllegalArgumentException e) {
        // A malformed escape in an unused parameter should not fail the request.
        log.debug("Ignoring malformed query parameter {}", pair);
      }
    }
    return params;
  }

  private static void sendError(
      HttpExchange exchange, String contentType, int status, int errorCode, String message)
      throws IOException {
    send(exchange, status, contentType,
        JsonBodies.write(new ResponseBodies.Error(errorCode, message)));
  }

  private static void send(HttpExchange exchange, int status, String contentType, byte[] payload)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, payload.length);
    exchange.getResponseBody().write(payload);
  }
}
