package dev.costmeter.alerting.control;

import java.util.Map;
import java.util.TreeMap;

/**
 * The kill-switch state of one scope: the last sequence issued and which open conditions hold a
 * switch on it. Several conditions may hold the same scope (a daily and a monthly cap); the switch
 * is lifted only when the last holder resolves.
 *
 * @param lastSequence   the sequence of the last command issued for the scope
 * @param issuedAction   the action last issued (ALLOW after a lift)
 * @param issuedExpiresMs the expiry last issued, or -1
 * @param holders        condition id → what it asks for
 * @param keyId          the key the last command was signed with; null in state written before
 *                       commands were signed with Ed25519 (their HMAC commands are re-issued at start)
 */
public record SwitchState(long lastSequence, String issuedAction, long issuedExpiresMs, Map<String, Hold> holders,
        String keyId) {

    /** What one condition asks of a scope. */
    public record Hold(String action, String fallbackModel, long expiresMs, String rule, String reason) {
    }

    public SwitchState {
        holders = new TreeMap<>(holders == null ? Map.of() : holders);
    }

    static SwitchState empty() {
        return new SwitchState(0, "ALLOW", -1, Map.of(), null);
    }
}
