package dev.costmeter.registry.auth;

import dev.costmeter.registry.subjects.RegistryException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Who may do what on the registry, checked before a request is routed: with users configured, every
 * request but {@code GET /} (an empty object, for health probes) needs HTTP basic auth (401
 * otherwise); a {@code read} user may read, look schemas up and
 * test compatibility but not write (403, error code 40301, as Confluent's RBAC answers); in
 * read-only mode nobody writes (422, error code 42205, as Confluent answers in READONLY mode).
 * Writes are registering a schema ({@code POST /subjects/{s}/versions}) and every {@code PUT} and
 * {@code DELETE}; {@code POST /subjects/{s}} (lookup) and {@code POST /compatibility/...} are reads.
 */
public final class RegistryAccess {

  /** The realm of the 401 challenge. */
  public static final String REALM = "SchemaRegistry";

  private final RegistryUsers users;
  private final boolean readOnly;

  /**
   * @param users    the users, or null for none (everyone may read, and write unless read-only)
   * @param readOnly whether writes are refused to everyone
   */
  public RegistryAccess(RegistryUsers users, boolean readOnly) {
    this.users = users;
    this.readOnly = readOnly;
  }

  /** No users, writes allowed: the registry as it was. */
  public static RegistryAccess open() {
    return new RegistryAccess(null, false);
  }

  /** Whether writes are refused to everyone; {@code GET /mode} answers {@code READONLY} then. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Whether requests need credentials. */
  public boolean requiresCredentials() {
    return users != null;
  }

  /**
   * Lets the request through, or refuses it.
   *
   * @throws RegistryException 401 without valid credentials, 422 (42205) for a write in read-only
   *     mode, 403 (40301) for a write by a read user
   */
  public void check(String method, String rawPath, String authorizationHeader) {
    if (method.equals("GET") && segments(rawPath).length == 0) {
      // GET / answers {} and nothing else: left open so that liveness and readiness probes (the
      // container HEALTHCHECK, Kubernetes, the local stack) need no credentials.
      return;
    }
    Optional<RegistryUser> user = users == null ? Optional.empty() : users.authenticate(authorizationHeader);
    if (users != null && user.isEmpty()) {
      throw new RegistryException(401, 401, "Unauthorized");
    }
    if (!isWrite(method, rawPath)) {
      return;
    }
    String target = target(rawPath);
    if (readOnly) {
      throw new RegistryException(422, 42205, target.startsWith("Subject: ")
          ? "Subject " + target.substring("Subject: ".length()) + " is in read-only mode"
          : "The registry is in read-only mode");
    }
    if (user.isPresent() && user.get().role() != RegistryUser.Role.WRITE) {
      throw new RegistryException(403, 40301, "User " + user.get().name()
          + " is denied operation Write on " + target);
    }
  }

  static boolean isWrite(String method, String rawPath) {
    if (method.equals("PUT") || method.equals("DELETE")) {
      return true;
    }
    if (!method.equals("POST")) {
      return false;
    }
    String[] segments = segments(rawPath);
    return segments.length == 3 && segments[0].equals("subjects") && segments[2].equals("versions");
  }

  /** What a write touches, worded as Confluent's RBAC errors word it. */
  private static String target(String rawPath) {
    String[] segments = segments(rawPath);
    if (segments.length >= 2 && (segments[0].equals("subjects") || segments[0].equals("config"))) {
      try {
        return "Subject: " + URLDecoder.decode(segments[1].replace("+", "%2B"), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException malformed) {
        return "Subject: " + segments[1];
      }
    }
    return "the global configuration";
  }

  private static String[] segments(String rawPath) {
    String trimmed = rawPath.replaceAll("^/+", "").replaceAll("/+$", "");
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/");
  }
}
