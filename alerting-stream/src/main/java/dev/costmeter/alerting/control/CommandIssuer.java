package dev.costmeter.alerting.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import java.time.Instant;

/**
 * Builds signed kill-switch commands.
 *
 * <p>Sequence: {@code max(last + 1, issuedAtMillis × 1000)}. The stored last sequence alone makes it
 * strictly increasing per scope within one store; the clock term keeps it increasing when the same
 * scope is issued from a second processor (task blocks come from usage and from the ledger) or
 * after the store was lost, as long as commands for a scope are at least a millisecond apart or
 * come from the same store. It also keeps a new decision above {@link ControlKeeper}'s
 * re-assertions, which add one to the sequence they re-assert.
 */
public final class CommandIssuer {

    private final ControlKeys keys;

    public CommandIssuer(ControlKeys keys) {
        this.keys = keys;
    }

    public static long nextSequence(long last, long nowMs) {
        return Math.max(last + 1, nowMs * 1000L);
    }

    /** The id of the key commands are signed with now. */
    public String keyId() {
        return keys.signingKey().id();
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
        return CommandSigner.sign(unsigned, keys.signingKey());
    }

    /** {@code command} again, unchanged but for a new sequence, signed with the current key. */
    public ControlCommand reassert(ControlCommand command, long sequence) {
        return CommandSigner.sign(ControlCommand.newBuilder(command).setSequence(sequence).build(), keys.signingKey());
    }
}
