package dev.costmeter.client.killswitch;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** Signed control commands for tests. */
public final class Commands {

    public static final KeyRing KEYS = KeyRing.of("k1", "a-test-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8));
    public static final KeyRing OTHER_KEYS = KeyRing.of("k1", "another-secret-also-32-bytes-long!!!".getBytes(StandardCharsets.UTF_8));
    public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private Commands() {
    }

    public static ControlCommand block(String scope, long sequence) {
        return signed(scope, SwitchAction.BLOCK, null, sequence, null, KEYS);
    }

    public static ControlCommand degrade(String scope, String model, long sequence) {
        return signed(scope, SwitchAction.DEGRADE, model, sequence, null, KEYS);
    }

    public static ControlCommand allow(String scope, long sequence) {
        return signed(scope, SwitchAction.ALLOW, null, sequence, null, KEYS);
    }

    public static ControlCommand signed(String scope, SwitchAction action, String model, long sequence, Instant expiresAt, KeyRing ring) {
        return CommandSigner.sign(unsigned(scope, action, model, sequence, expiresAt), ring);
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
