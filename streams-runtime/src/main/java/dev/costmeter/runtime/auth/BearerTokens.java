package dev.costmeter.runtime.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The API tokens an instance accepts, read from a file that holds only their SHA-256 hashes, one
 * token a line: the hash in hex (what {@code printf %s "$TOKEN" | sha256sum} prints), then one or
 * more scopes separated by spaces; {@code #} starts a comment.
 *
 * <pre>
 * # sha256(token)                                                   scopes
 * 3c9909afec25354d551dae21590bb26e38d53f2173b8d3dc3eee4c047e7ab1c1  operator
 * 5d41402abc4b2a76b9719d911017c592...                               tenant:acme
 * 8f434346648f6b96df89dda901c5176b...                               metrics
 * </pre>
 *
 * Scopes: {@code operator} (reads everything), {@code tenant:<id>} (reads that tenant's data only;
 * a token may name several tenants), {@code metrics} (reads {@code /metrics} only). A presented
 * token is hashed and compared with every stored hash in constant time, so neither the file nor
 * the timing of a refusal tells anything about a valid token.
 */
public final class BearerTokens {

    private static final HexFormat HEX = HexFormat.of();
    private static final int SHA256_BYTES = 32;

    private record Entry(byte[] hash, Caller caller) {
    }

    private final List<Entry> entries;

    private BearerTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Reads a token file; see the class comment for its format.
     *
     * @param key the configuration key that named the file, for error messages
     * @throws ConfigException naming the file and line of anything that cannot be used (never the
     *         line's content), or when the file holds no token
     */
    public static BearerTokens load(String key, Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(key, file.toString(), "cannot read the token file: " + e);
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = stripComment(lines.get(i)).trim();
            if (line.isEmpty()) {
                continue;
            }
            String where = file + " line " + (i + 1);
            String[] fields = line.split("\\s+");
            if (fields.length < 2) {
                throw new ConfigException(key, file.toString(), where + ": expected '<sha256 hex> <scope> ...'");
            }
            byte[] hash = parseHash(key, file, where, fields[0]);
            for (Entry existing : entries) {
                if (MessageDigest.isEqual(existing.hash(), hash)) {
                    throw new ConfigException(key, file.toString(), where + ": the same token hash appears twice");
                }
            }
            entries.add(new Entry(hash, parseScopes(key, file, where, fields)));
        }
        if (entries.isEmpty()) {
            throw new ConfigException(key, file.toString(), "the token file holds no token");
        }
        return new BearerTokens(entries);
    }

    /** The caller a presented token stands for; empty when it matches no stored hash. */
    public Optional<Caller> authenticate(String token) {
        byte[] presented = sha256(token);
        Caller found = null;
        // No early exit: every stored hash is compared, whether or not one matched already.
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.hash(), presented) && found == null) {
                found = entry.caller();
            }
        }
        return Optional.ofNullable(found);
    }

    /** How many tokens the file holds. */
    public int size() {
        return entries.size();
    }

    /** The hex SHA-256 of {@code token}, as a token file stores it. */
    public static String hash(String token) {
        return HEX.formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static byte[] parseHash(String key, Path file, String where, String field) {
        String hex = field.startsWith("sha256:") ? field.substring("sha256:".length()) : field;
        try {
            byte[] hash = HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT));
            if (hash.length == SHA256_BYTES) {
                return hash;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new ConfigException(key, file.toString(), where + ": the first field must be a SHA-256 hash"
                + " (64 hex digits) of the token, never the token itself");
    }

    private static Caller parseScopes(String key, Path file, String where, String[] fields) {
        boolean operator = false;
        boolean metrics = false;
        Set<String> tenants = new LinkedHashSet<>();
        for (int f = 1; f < fields.length; f++) {
            String scope = fields[f];
            if (scope.equals("operator")) {
                operator = true;
            } else if (scope.equals("metrics")) {
                metrics = true;
            } else if (scope.startsWith("tenant:") && scope.length() > "tenant:".length()) {
                tenants.add(scope.substring("tenant:".length()));
            } else {
                throw new ConfigException(key, file.toString(), where + ": unknown scope '" + scope
                        + "'; expected operator, metrics or tenant:<id>");
            }
        }
        return Caller.of(operator, metrics, tenants);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }
}
