package dev.costmeter.schemas.control;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * HMAC keys by id. Issuers sign with one key; consumers hold every key they accept, so keys can be
 * rotated by adding the new one everywhere before issuers switch to it.
 *
 * <p>Text form (for configuration and environment variables): {@code id:base64secret[,id:base64secret...]}.
 * A secret must be at least 32 bytes.
 */
public final class KeyRing {

    /** Shortest secret accepted, in bytes: HMAC-SHA256's output size. */
    public static final int MIN_SECRET_BYTES = 32;

    private final Map<String, byte[]> keys;

    private KeyRing(Map<String, byte[]> keys) {
        this.keys = keys;
    }

    /** A ring of one key. */
    public static KeyRing of(String keyId, byte[] secret) {
        Map<String, byte[]> keys = new LinkedHashMap<>();
        keys.put(checkId(keyId), checkSecret(keyId, secret));
        return new KeyRing(keys);
    }

    /**
     * Parses the text form.
     *
     * @param configKey the configuration key it came from, named in errors (never the secret)
     */
    public static KeyRing parse(String configKey, String text) {
        if (text == null || text.isBlank()) {
            throw new ConfigException(configKey, "[redacted]", "At least one key id:base64secret is required");
        }
        Map<String, byte[]> keys = new LinkedHashMap<>();
        for (String entry : text.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new ConfigException(configKey, "[redacted]", "Each key must be written id:base64secret");
            }
            String id = trimmed.substring(0, colon);
            byte[] secret;
            try {
                secret = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(configKey, "[redacted]", "The secret of key '" + id + "' is not base64");
            }
            if (keys.put(checkId(id), checkSecret(id, secret)) != null) {
                throw new ConfigException(configKey, "[redacted]", "Key id '" + id + "' appears twice");
            }
        }
        return new KeyRing(keys);
    }

    /** The secret of {@code keyId}, if this ring holds it. */
    Optional<byte[]> secret(String keyId) {
        return Optional.ofNullable(keys.get(keyId));
    }

    /** The ids in this ring, in the order given. */
    public Set<String> ids() {
        return keys.keySet();
    }

    /** The first key id: the one an issuer signs with. */
    public String signingKeyId() {
        return keys.keySet().iterator().next();
    }

    @Override
    public String toString() {
        return "KeyRing" + keys.keySet();
    }

    private static String checkId(String id) {
        if (id == null || id.isBlank() || !id.chars().allMatch(c -> c > 32 && c < 127 && c != ',' && c != ':')) {
            throw new ConfigException("Key id '" + id + "' must be printable ASCII without spaces, ',' or ':'");
        }
        return id;
    }

    private static byte[] checkSecret(String id, byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new ConfigException("The secret of key '" + id + "' must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        return secret.clone();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
