package dev.costmeter.schemas.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.util.Base64;

/**
 * The newest command accepted for one scope: its sequence, issue time and signature, which no later
 * command may go below, and the command itself while it is held. After a tombstone cleaned a lifted
 * or expired scope up, only the first three are kept; reading that same command again restores it.
 *
 * @param sequence   the newest accepted sequence
 * @param issuedAtMs its issued_at, epoch millis
 * @param signature  its signature (base64), which identifies it
 * @param command    the command, or null when it is no longer held (cleaned up by a tombstone)
 */
public record HighWater(long sequence, long issuedAtMs, String signature, ControlCommand command) {

    /** The high water of an accepted command. */
    public static HighWater of(ControlCommand command) {
        return new HighWater(command.getSequence(), command.getIssuedAt().toEpochMilli(), command.getSignature(), command);
    }

    /** The same high water, without the command (a tombstone cleaned the scope up). */
    public HighWater withoutCommand() {
        return new HighWater(sequence, issuedAtMs, signature, null);
    }

    /** Whether the held command sets a switch at {@code nowMs}: a BLOCK or DEGRADE not yet expired. */
    public boolean inForce(long nowMs) {
        return command != null && inForce(command, nowMs);
    }

    /** Whether {@code command} sets a switch at {@code nowMs}: a BLOCK or DEGRADE not yet expired. */
    public static boolean inForce(ControlCommand command, long nowMs) {
        return command.getAction() != SwitchAction.ALLOW
                && (command.getExpiresAt() == null || command.getExpiresAt().toEpochMilli() > nowMs);
    }

    /** Whether {@code command} is the very command this high water was taken from. */
    boolean isSameCommand(ControlCommand command) {
        if (command.getSequence() != sequence || signature == null) {
            return false;
        }
        try {
            return java.security.MessageDigest.isEqual(Base64.getDecoder().decode(signature),
                    Base64.getDecoder().decode(command.getSignature()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
