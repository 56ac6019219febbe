package dev.costmeter.schemas.control;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * The private Ed25519 key an issuer (alerting-stream, an operator's costctl) signs kill-switch
 * commands with, under a key id. Services never hold one: they verify with {@link VerifyKeys}.
 *
 * <p>Text form ({@code control.signing.key}, {@code COSTMETER_CONTROL_SIGNING_KEY}):
 * {@code id:<base64 of the PKCS#8 DER encoding>}, or {@code file:<path>} naming a file that holds
 * that text, as {@code costctl keys generate} writes it. The key never appears in
 * {@link #toString()}, in exceptions or in logs.
 */
public final class SigningKey {

    /** The signature algorithm, as named in the JDK and in {@code ControlCommand.algorithm}. */
    public static final String ALGORITHM = "Ed25519";

    private final String id;
    private final PrivateKey key;

    private SigningKey(String id, PrivateKey key) {
        this.id = id;
        this.key = key;
    }

    /** A signing key from a JDK Ed25519 private key. */
    public static SigningKey of(String id, PrivateKey key) {
        if (!ALGORITHM.equals(Objects.requireNonNull(key, "key").getAlgorithm())
                && !"EdDSA".equals(key.getAlgorithm())) {
            throw new IllegalArgumentException("Not an Ed25519 key: " + key.getAlgorithm());
        }
        return new SigningKey(KeyText.checkId("id", id), key);
    }

    /**
     * Parses the text form.
     *
     * @param configKey the configuration key it came from, named in errors
     * @throws ConfigException when it is missing, malformed or not one Ed25519 private key
     */
    public static SigningKey parse(String configKey, String text) {
        List<KeyText.Entry> entries = KeyText.entries(configKey, text, "id:<base64 PKCS#8 Ed25519 private key> or file:<path>");
        if (entries.size() != 1) {
            throw new ConfigException(configKey, "[redacted]", "Exactly one signing key is expected, found " + entries.size()
                    + ": an issuer signs with one key (services verify with several, in control.verify.keys)");
        }
        KeyText.Entry entry = entries.get(0);
        try {
            return new SigningKey(entry.id(), KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(entry.der())));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ConfigException(configKey, "[redacted]", "Key '" + entry.id() + "' is not a PKCS#8 Ed25519 private key");
        }
    }

    /** The key id written into every command this key signs. */
    public String id() {
        return id;
    }

    /** The Ed25519 signature of {@code data}: 64 bytes, deterministic (RFC 8032). */
    byte[] sign(byte[] data) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(key);
            signer.update(data);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed with key " + id, e);
        }
    }

    /** Never the key itself. */
    @Override
    public String toString() {
        return "SigningKey[" + id + "]";
    }
}
