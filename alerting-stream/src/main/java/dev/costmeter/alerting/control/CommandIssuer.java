package dev.costmeter.alerting.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.time.Instant;

/**
 * Builds signed kill-switch commands.
 *
 * <p>Sequence: {@code max(last + 1, issuedAtMillis × 1000)}. The stored last sequence alone makes it
 * strictly increasing per scope within one store; the clock term keeps it increasing when the same
 * scope is issued from a second processor (task blocks come from usage and from the ledger) or
 * after the store was lost, as long as commands for a scope are at least a millisecond apart or
 * come from the same store.
 */
public final class CommandIssuer {

    private final KeyRing keyRing;

    public CommandIssuer(KeyRing keyRing) {
        this.keyRing = keyRing;
    }

    public static long nextSequence(long last, long nowMs) {
        return Math.max(last + 1, nowMs * 1000L);
    }

    public ControlCommand issue(String scope, SwitchAction action, String fallbackModel, String reason, long nowMs,
            Long expiresMs, String rule, long sequence) {
        ControlCommand unsigned = ControlCommand.newBuilder()
                .setScope(scope)
                .setAction(action)
                .setFallbackModel(action == SwitchAction.DEGRADE ? fallbackModel : null)
                .setReason(reason)
                .setIssuedAt(Instant.ofEpochMilli(nowMs))
                .setExpiresAt(expiresMs == null ? null : Instant.ofEpochMilli(expiresMs))
                .setIssuer("rule:" + rule)
                .setSequence(sequence)
                .setKeyId("")
                .setSignature("")
                .build();
        return CommandSigner.sign(unsigned, keyRing);
    }
}
