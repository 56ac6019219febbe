package dev.costmeter.registry.http;

import java.nio.charset.StandardCharsets;
import java.net.URLDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps a method and a path to a {@link Route}. Patterns are slash-separated segments where
 * {@code {name}} captures one percent-decoded segment, so subjects may contain encoded slashes.
 */
final class Router {

  /** A route found for a request, with the path parameters it captured. */
  record Match(Route route, Map<String, String> pathParams) {
  }

  private record Entry(String method, List<String> pattern, Route route) {
  }

  private final List<Entry> entries = new ArrayList<>();

  Router add(String method, String pattern, Route route) {
    entries.add(new Entry(method, segments(pattern), route));
    return this;
  }

  /**
   * Finds the route for a request.
   *
   * @param rawPath the request path, still percent-encoded
   * @throws dev.costmeter.registry.subjects.RegistryException 404 when no pattern matches the path,
   *     405 when patterns match but none for this method
   */
  Match match(String method, String rawPath) {
    List<String> path = segments(rawPath);
    boolean pathKnown = false;
    for (Entry entry : entries) {
      Optional<Map<String, String>> params = bind(entry.pattern(), path);
      if (params.isPresent()) {
        pathKnown = true;
        if (entry.method().equals(method)) {
          return new Match(entry.route(), params.get());
        }
      }
    }
    throw pathKnown ? HttpErrors.methodNotAllowed() : HttpErrors.notFound();
  }

  private static Optional<Map<String, String>> bind(List<String> pattern, List<String> path) {
    if (pattern.size() != path.size()) {
      return Optional.empty();
    }
    Map<String, String> params = new HashMap<>();
    for (int i = 0; i < pattern.size(); i++) {
      String expected = pattern.get(i);
      String actual = path.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        String decoded = decode(actual);
        if (decoded == null || decoded.isEmpty()) {
          return Optional.empty();
        }
        params.put(expected.substring(1, expected.length() - 1), decoded);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static List<String> segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? List.of() : Arrays.asList(trimmed.split("/", -1));
  }

  /** Percent-decodes a path segment; unlike form decoding, '+' stays a plus sign. */
  private static String decode(String segment) {
    try {
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
