package dev.costmeter.schemas.control;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;

/**
 * The public Ed25519 keys a consumer of kill-switch commands trusts, by key id. A command is
 * verified against the key it names, so several keys can be in force at once: rotation adds the
 * new public key everywhere, moves the issuers to the new private key, and removes the old public
 * key once every command it signed has been re-signed (alerting-stream re-asserts them at start).
 *
 * <p>Text form ({@code control.verify.keys}, {@code COSTMETER_CONTROL_VERIFY_KEYS}):
 * {@code id:<base64 of the X.509 SubjectPublicKeyInfo DER encoding>[,id:...]}, or
 * {@code file:<path>} naming a file that holds that text. Public keys are not secret.
 */
public final class VerifyKeys {

    private final Map<String, PublicKey> keys;

    private VerifyKeys(Map<String, PublicKey> keys) {
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** Keys from JDK public keys, by id, in the order given. */
    public static VerifyKeys of(Map<String, PublicKey> keys) {
        Map<String, PublicKey> copy = new LinkedHashMap<>();
        keys.forEach((id, key) -> copy.put(KeyText.checkId("id", id), Objects.requireNonNull(key, id)));
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("At least one public key is required");
        }
        return new VerifyKeys(copy);
    }

    /**
     * Parses the text form.
     *
     * @param configKey the configuration key it came from, named in errors
     * @throws ConfigException when it is missing, malformed, names an id twice or holds a key that is
     *     not an Ed25519 public key
     */
    public static VerifyKeys parse(String configKey, String text) {
        Map<String, PublicKey> keys = new LinkedHashMap<>();
        for (KeyText.Entry entry : KeyText.entries(configKey, text, "id:<base64 X.509 Ed25519 public key>[,id:...] or file:<path>")) {
            PublicKey key;
            try {
                key = KeyFactory.getInstance(SigningKey.ALGORITHM).generatePublic(new X509EncodedKeySpec(entry.der()));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new ConfigException(configKey, "[redacted]", "Key '" + entry.id() + "' is not an X.509 Ed25519 public key");
            }
            if (keys.put(entry.id(), key) != null) {
                throw new ConfigException(configKey, "[redacted]", "Key id '" + entry.id() + "' appears twice");
            }
        }
        return new VerifyKeys(keys);
    }

    /** The key ids, in the order given. */
    public Set<String> ids() {
        return keys.keySet();
    }

    /** The public key under {@code id}, if trusted. */
    public Optional<PublicKey> key(String id) {
        return Optional.ofNullable(id == null ? null : keys.get(id));
    }

    /** The text form of these keys, inline. */
    public String text() {
        StringBuilder text = new StringBuilder();
        keys.forEach((id, key) -> text.append(text.length() == 0 ? "" : ",").append(id).append(':')
                .append(java.util.Base64.getEncoder().encodeToString(key.getEncoded())));
        return text.toString();
    }

    /** Whether {@code signature} is {@code id}'s Ed25519 signature of {@code data}; false for an unknown id. */
    boolean verify(String id, byte[] data, byte[] signature) {
        PublicKey key = keys.get(id);
        if (key == null) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(SigningKey.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(data);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A signature of the wrong length or with a non-canonical point is simply not valid.
            return false;
        }
    }

    @Override
    public String toString() {
        return "VerifyKeys" + keys.keySet();
    }
}
