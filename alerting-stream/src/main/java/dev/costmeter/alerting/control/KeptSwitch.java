package dev.costmeter.alerting.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.HighWater;
import java.time.Instant;

/**
 * What {@link ControlKeeper} keeps of one scope: the newest command on the control topic that
 * verifies (every field, so it can be re-asserted exactly), and its own bookkeeping.
 *
 * @param acceptedAtMs   when the keeper read the command
 * @param pendingSequence the sequence of a re-assertion sent and not yet read back, or 0
 * @param pendingAtMs    when that re-assertion was sent
 * @param tombstonedAtMs when a tombstone of the (lifted or expired) scope was written or read, or 0
 */
public record KeptSwitch(String scope, String action, String fallbackModel, String reason, long issuedAtMs,
        Long expiresAtMs, String issuer, long sequence, String keyId, String algorithm, String signature,
        long acceptedAtMs, long pendingSequence, long pendingAtMs, long tombstonedAtMs) {

    static KeptSwitch accepted(ControlCommand c, long nowMs) {
        return new KeptSwitch(c.getScope(), c.getAction().name(), c.getFallbackModel(), c.getReason(),
                c.getIssuedAt().toEpochMilli(), c.getExpiresAt() == null ? null : c.getExpiresAt().toEpochMilli(),
                c.getIssuer(), c.getSequence(), c.getKeyId(), c.getAlgorithm(), c.getSignature(), nowMs, 0, 0, 0);
    }

    /** The command, exactly as it was signed. */
    ControlCommand command() {
        return ControlCommand.newBuilder().setScope(scope).setAction(SwitchAction.valueOf(action))
                .setFallbackModel(fallbackModel).setReason(reason).setIssuedAt(Instant.ofEpochMilli(issuedAtMs))
                .setExpiresAt(expiresAtMs == null ? null : Instant.ofEpochMilli(expiresAtMs)).setIssuer(issuer)
                .setSequence(sequence).setKeyId(keyId).setAlgorithm(algorithm).setSignature(signature).build();
    }

    HighWater highWater() {
        return HighWater.of(command());
    }

    /** Whether {@code c} is this very command: read back, or copied. */
    boolean isSame(ControlCommand c) {
        return c.getSequence() == sequence && signature.equals(c.getSignature());
    }

    boolean inForce(long nowMs) {
        return !"ALLOW".equals(action) && (expiresAtMs == null || expiresAtMs > nowMs);
    }

    /** When the switch stopped applying: its ALLOW was read, or its command expired. */
    long liftedAtMs() {
        return "ALLOW".equals(action) ? acceptedAtMs : expiresAtMs == null ? Long.MAX_VALUE : expiresAtMs;
    }

    KeptSwitch pending(long pendingSequence, long nowMs) {
        return new KeptSwitch(scope, action, fallbackModel, reason, issuedAtMs, expiresAtMs, issuer, sequence, keyId,
                algorithm, signature, acceptedAtMs, pendingSequence, nowMs, tombstonedAtMs);
    }

    KeptSwitch tombstoned(long nowMs) {
        return new KeptSwitch(scope, action, fallbackModel, reason, issuedAtMs, expiresAtMs, issuer, sequence, keyId,
                algorithm, signature, acceptedAtMs, pendingSequence, pendingAtMs, nowMs);
    }
}
