package dev.costmeter.alerting.control;

import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import java.util.Objects;

/**
 * alerting-stream's kill-switch keys: the private key it signs with ({@code control.signing.key})
 * and the public keys it verifies the control topic with ({@code control.verify.keys}: its own and
 * the operators', the same list services hold), checked to belong together at start.
 */
public record ControlKeys(SigningKey signingKey, VerifyKeys verifyKeys) {

    /** @throws IllegalArgumentException when the verify keys do not hold the signing key's public half */
    public ControlKeys {
        Objects.requireNonNull(signingKey, "signingKey");
        Objects.requireNonNull(verifyKeys, "verifyKeys");
        if (!ControlKeyPair.matches(signingKey, verifyKeys)) {
            throw new IllegalArgumentException("control.verify.keys must hold the public key of control.signing.key '"
                    + signingKey.id() + "' (" + (verifyKeys.key(signingKey.id()).isPresent()
                            ? "it holds another key under that id" : "it holds " + verifyKeys.ids())
                    + "): services would ignore every command alerting-stream signs, and it could not check its own");
        }
    }

    /** A freshly generated pair: for tests. */
    public static ControlKeys generate(String id) {
        ControlKeyPair pair = ControlKeyPair.generate(id);
        return new ControlKeys(pair.signingKey(), pair.verifyKeys());
    }
}
