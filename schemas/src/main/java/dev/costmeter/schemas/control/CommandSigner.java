package dev.costmeter.schemas.control;

import dev.costmeter.contracts.ControlCommand;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies kill-switch commands: HMAC-SHA256 over the command's canonical form, with the
 * key id in the record so a consumer knows which key to check against.
 *
 * <p>Canonical form (UTF-8): the line {@code costmeter-control-v1}, then one line per field in this
 * order, each {@code name=<length>:<value>} with the value's length in UTF-8 bytes, so no value
 * can imitate a field boundary: scope, action, fallback_model, reason, issued_at, expires_at,
 * issuer, sequence, key_id. Instants are epoch milliseconds; an absent value is written as
 * {@code -1:} (length -1). Any other language can rebuild it from this description.
 */
public final class CommandSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private static final String HEADER = "costmeter-control-v1";

    /** What checking a command's signature found. */
    public enum Verdict {
        /** Signed by a key in the ring, untouched since. */
        VALID,
        /** Signed with a key id this ring does not hold. */
        UNKNOWN_KEY,
        /** The signature does not match: forged or altered. */
        BAD_SIGNATURE
    }

    private CommandSigner() {
    }

    /** Returns {@code command} with key_id set to the ring's signing key and a fresh signature. */
    public static ControlCommand sign(ControlCommand command, KeyRing ring) {
        String keyId = ring.signingKeyId();
        ControlCommand withKey = ControlCommand.newBuilder(command).setKeyId(keyId).setSignature("").build();
        byte[] secret = ring.secret(keyId).orElseThrow();
        withKey.setSignature(Base64.getEncoder().encodeToString(hmac(secret, canonical(withKey))));
        return withKey;
    }

    /** Checks {@code command}'s signature against the key it names. Constant-time comparison. */
    public static Verdict verify(ControlCommand command, KeyRing ring) {
        Optional<byte[]> secret = ring.secret(command.getKeyId());
        if (secret.isEmpty()) {
            return Verdict.UNKNOWN_KEY;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(command.getSignature());
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] expected = hmac(secret.get(), canonical(command));
        return MessageDigest.isEqual(expected, given) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
    }

    /** The canonical form described in the class comment. */
    public static String canonical(ControlCommand c) {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        field(text, "scope", c.getScope());
        field(text, "action", c.getAction() == null ? null : c.getAction().name());
        field(text, "fallback_model", c.getFallbackModel());
        field(text, "reason", c.getReason());
        field(text, "issued_at", millis(c.getIssuedAt()));
        field(text, "expires_at", millis(c.getExpiresAt()));
        field(text, "issuer", c.getIssuer());
        field(text, "sequence", Long.toString(c.getSequence()));
        field(text, "key_id", c.getKeyId());
        return text.toString();
    }

    private static String millis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }

    private static void field(StringBuilder text, String name, String value) {
        text.append(name).append('=');
        if (value == null) {
            text.append("-1:");
        } else {
            text.append(value.getBytes(StandardCharsets.UTF_8).length).append(':').append(value);
        }
        text.append('\n');
    }

    private static byte[] hmac(byte[] secret, String canonical) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
