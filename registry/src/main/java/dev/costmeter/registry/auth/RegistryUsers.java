package dev.costmeter.registry.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The registry's basic-auth users, read from a file that holds only password hashes, one user a
 * line: {@code name:hash role}, where the hash is bcrypt ({@code $2y$...}, as
 * {@code htpasswd -nbB name password} prints it after the colon) or {@code sha256:<hex>} (for
 * long random passwords only: SHA-256 is fast to brute-force), and the role {@code read} or
 * {@code write}; {@code #} starts a comment.
 *
 * <pre>
 * ci-writer:$2y$10$0bSTqEn7A4N4y1t9J2vQeO3Zm...   write
 * metering:sha256:5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8  read
 * </pre>
 *
 * <p>bcrypt takes tens of milliseconds per check on purpose, so credentials that verified are
 * remembered by their SHA-256 (never in clear) and a client's later requests cost one hash. An
 * unknown user is checked against a dummy hash, so the time of a refusal does not tell which user
 * names exist.
 */
public final class RegistryUsers {

  private static final int MAX_REMEMBERED = 1_024;
  private static final HexFormat HEX = HexFormat.of();
  // bcrypt of a random string nobody knows, checked for unknown users so that they cost as much.
  private static final String DUMMY_BCRYPT =
      OpenBSDBCrypt.generate(new char[] {'x'}, new byte[16], 10);

  private record Entry(String hash, RegistryUser user) {
  }

  private final Map<String, Entry> users;
  private final Map<String, RegistryUser> verified = new ConcurrentHashMap<>();

  private RegistryUsers(Map<String, Entry> users) {
    this.users = Map.copyOf(users);
  }

  /**
   * Reads a users file; see the class comment for its format.
   *
   * @throws IllegalArgumentException naming the file and line of anything that cannot be used
   *     (never the line itself), or when the file holds no user
   */
  public static RegistryUsers load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read the registry users file " + file + ": " + e, e);
    }
    Map<String, Entry> users = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int comment = line.indexOf('#');
      line = (comment < 0 ? line : line.substring(0, comment)).trim();
      if (line.isEmpty()) {
        continue;
      }
      String where = file + " line " + (i + 1);
      String[] fields = line.split("\\s+");
      int colon = fields[0].indexOf(':');
      if (fields.length != 2 || colon <= 0) {
        throw new IllegalArgumentException(where + ": expected 'name:hash role'");
      }
      String name = fields[0].substring(0, colon);
      String hash = fields[0].substring(colon + 1);
      if (!isBcrypt(hash) && !isSha256(hash)) {
        throw new IllegalArgumentException(where + ": the password must be a bcrypt hash ($2a$, $2b$,"
            + " $2y$) or sha256:<64 hex digits>, never the password itself");
      }
      RegistryUser.Role role = switch (fields[1].toLowerCase(Locale.ROOT)) {
        case "read" -> RegistryUser.Role.READ;
        case "write" -> RegistryUser.Role.WRITE;
        default -> throw new IllegalArgumentException(where + ": the role must be read or write");
      };
      if (users.put(name, new Entry(hash, new RegistryUser(name, role))) != null) {
        throw new IllegalArgumentException(where + ": user '" + name + "' appears twice");
      }
    }
    if (users.isEmpty()) {
      throw new IllegalArgumentException("The registry users file " + file + " holds no user");
    }
    return new RegistryUsers(users);
  }

  /** The user of an {@code Authorization: Basic ...} header; empty when absent or wrong. */
  public Optional<RegistryUser> authenticate(String authorizationHeader) {
    Optional<String> credentials = basicCredentials(authorizationHeader);
    if (credentials.isEmpty()) {
      return Optional.empty();
    }
    String remembered = HEX.formatHex(sha256(credentials.get()));
    RegistryUser known = verified.get(remembered);
    if (known != null) {
      return Optional.of(known);
    }
    int colon = credentials.get().indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    String name = credentials.get().substring(0, colon);
    String password = credentials.get().substring(colon + 1);
    Entry entry = users.get(name);
    if (entry == null) {
      verifyDummy(password);
      return Optional.empty();
    }
    if (!verify(entry.hash(), password)) {
      return Optional.empty();
    }
    if (verified.size() >= MAX_REMEMBERED) {
      verified.clear();
    }
    verified.put(remembered, entry.user());
    return Optional.of(entry.user());
  }

  /** How many users the file holds. */
  public int size() {
    return users.size();
  }

  private static boolean verify(String hash, String password) {
    if (isSha256(hash)) {
      byte[] expected = HEX.parseHex(hash.substring("sha256:".length()).toLowerCase(Locale.ROOT));
      return MessageDigest.isEqual(expected, sha256(password));
    }
    try {
      return OpenBSDBCrypt.checkPassword(hash, password.toCharArray());
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void verifyDummy(String password) {
    OpenBSDBCrypt.checkPassword(DUMMY_BCRYPT, password.toCharArray());
  }

  private static Optional<String> basicCredentials(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    if (space < 0 || !trimmed.substring(0, space).equalsIgnoreCase("Basic")) {
      return Optional.empty();
    }
    try {
      return Optional.of(new String(Base64.getDecoder().decode(trimmed.substring(space + 1).trim()),
          StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isBcrypt(String hash) {
    return hash.length() == 60
        && (hash.startsWith("$2a$") || hash.startsWith("$2b$") || hash.startsWith("$2y$"));
  }

  private static boolean isSha256(String hash) {
    return hash.startsWith("sha256:") && hash.length() == "sha256:".length() + 64
        && hash.substring("sha256:".length()).chars().allMatch(c -> Character.digit(c, 16) >= 0);
  }

  static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
