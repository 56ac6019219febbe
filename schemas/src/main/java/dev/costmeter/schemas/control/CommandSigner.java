package dev.costmeter.schemas.control;

import dev.costmeter.contracts.ControlCommand;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * Signs and verifies kill-switch commands with Ed25519: issuers hold a private {@link SigningKey},
 * services hold only {@link VerifyKeys}, so a service that verifies cannot forge. The key id is in
 * the record, so a verifier checks it against the public key it holds under that id.
 *
 * <p>Signed bytes: the UTF-8 encoding of the canonical form, the line {@code costmeter-control-v2}
 * then one line per field in this order, each {@code name=<length>:<value>} with the value's length
 * in UTF-8 bytes (so no value can imitate a field boundary) and each line ending in {@code \n}:
 * scope, action, fallback_model, reason, issued_at, expires_at, issuer, sequence, key_id,
 * algorithm. Instants are epoch milliseconds in decimal; an absent value is written {@code -1:}
 * with nothing after. {@code signature} is the standard base64 (with padding) of the 64-byte
 * Ed25519 signature (RFC 8032, pure Ed25519) of those bytes. A test vector is in
 * {@code CommandSignerTest} and client/README.md; any language with Ed25519 can verify.
 *
 * <p>Records written before the {@code algorithm} field existed read as {@code HMAC-SHA256} and
 * are never valid: a shared HMAC secret lets every verifier forge.
 */
public final class CommandSigner {

    private static final String HEADER = "costmeter-control-v2";

    /** What checking a command's signature found. */
    public enum Verdict {
        /** Signed by the trusted key it names, untouched since. */
        VALID,
        /** Not signed with Ed25519 (e.g. an HMAC-SHA256 command of an earlier version). */
        UNSUPPORTED_ALGORITHM,
        /** Signed with a key id the verifier does not trust. */
        UNKNOWN_KEY,
        /** The signature does not match: forged, altered, or signed by another key under the same id. */
        BAD_SIGNATURE
    }

    private CommandSigner() {
    }

    /** Returns {@code command} with key_id, algorithm and a fresh signature set by {@code key}. */
    public static ControlCommand sign(ControlCommand command, SigningKey key) {
        ControlCommand withKey = ControlCommand.newBuilder(command).setKeyId(key.id())
                .setAlgorithm(SigningKey.ALGORITHM).setSignature("").build();
        withKey.setSignature(Base64.getEncoder().encodeToString(key.sign(signedBytes(withKey))));
        return withKey;
    }

    /** Checks {@code command}'s signature against the trusted key it names. */
    public static Verdict verify(ControlCommand command, VerifyKeys keys) {
        if (!SigningKey.ALGORITHM.equals(command.getAlgorithm())) {
            return Verdict.UNSUPPORTED_ALGORITHM;
        }
        if (keys.key(command.getKeyId()).isEmpty()) {
            return Verdict.UNKNOWN_KEY;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(command.getSignature());
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        return keys.verify(command.getKeyId(), signedBytes(command), given) ? Verdict.VALID : Verdict.BAD_SIGNATURE;
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
        field(text, "algorithm", c.getAlgorithm());
        return text.toString();
    }

    private static byte[] signedBytes(ControlCommand command) {
        return canonical(command).getBytes(StandardCharsets.UTF_8);
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
}
