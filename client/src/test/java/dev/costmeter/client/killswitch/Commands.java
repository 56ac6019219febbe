package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import java.time.Instant;

/** Signed control commands for tests, with key pairs made for this test run. */
public final class Commands {

    /** The issuer's key pair, id {@code k1}: services trust {@link #TRUSTED}. */
    public static final ControlKeyPair PAIR = ControlKeyPair.generate("k1");
    public static final SigningKey KEY = PAIR.signingKey();
    public static final VerifyKeys TRUSTED = PAIR.verifyKeys();
    /** Another private key under the trusted id {@code k1}: what an attacker would sign with. */
    public static final SigningKey FORGER = ControlKeyPair.generate("k1").signingKey();
    /** A private key under an id nobody trusts. */
    public static final SigningKey STRANGER = ControlKeyPair.generate("k9").signingKey();
    public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private Commands() {
    }

    public static ControlCommand block(String scope, long sequence) {
        return signed(scope, SwitchAction.BLOCK, null, sequence, null, KEY);
    }

    public static ControlCommand degrade(String scope, String model, long sequence) {
        return signed(scope, SwitchAction.DEGRADE, model, sequence, null, KEY);
    }

    public static ControlCommand allow(String scope, long sequence) {
        return signed(scope, SwitchAction.ALLOW, null, sequence, null, KEY);
    }

    public static ControlCommand signed(String scope, SwitchAction action, String model, long sequence, Instant expiresAt,
            SigningKey key) {
        return CommandSigner.sign(unsigned(scope, action, model, sequence, expiresAt), key);
    }

    public static ControlCommand unsigned(String scope, SwitchAction action, String model, long sequence, Instant expiresAt) {
        return ControlCommand.newBuilder()
                .setScope(scope)
                .setAction(action)
                .setFallbackModel(model)
                .setReason("test " + action + " of " + scope)
                .setIssuedAt(T0)
                .setExpiresAt(expiresAt)
                .setIssuer("operator:test")
                .setSequence(sequence)
                .setKeyId("k1")
                .setSignature("")
                .build();
    }
}
