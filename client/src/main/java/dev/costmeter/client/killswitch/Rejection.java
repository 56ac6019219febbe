package dev.costmeter.client.killswitch;

import dev.costmeter.schemas.control.Refusal;

/** Why a control record was not applied. Each is counted in {@link ControlMetrics#rejected}. */
public enum Rejection {
    /** The signature does not match: forged, altered, or signed by another key under a trusted id. */
    BAD_SIGNATURE,
    /** Signed with a key id the client does not trust. */
    UNKNOWN_KEY,
    /** Not signed with Ed25519: an HMAC-SHA256 command of an earlier version. */
    UNSUPPORTED_ALGORITHM,
    /** Not newer than the newest command accepted for its scope (sequence, or issue time): a replay or a stale copy. */
    REPLAYED,
    /** Its expires_at had passed when it arrived; being signed and newer it still ends the scope's previous switch. */
    EXPIRED,
    /** A tombstone for a scope whose switch is in force: never a lift. */
    TOMBSTONE,
    /** Undecodable, an unknown scope syntax, or a record key that is not the command's scope. */
    MALFORMED;

    static Rejection of(Refusal refusal) {
        return switch (refusal) {
            case MALFORMED -> MALFORMED;
            case UNSUPPORTED_ALGORITHM -> UNSUPPORTED_ALGORITHM;
            case UNKNOWN_KEY -> UNKNOWN_KEY;
            case BAD_SIGNATURE -> BAD_SIGNATURE;
            case REPLAYED -> REPLAYED;
            case TOMBSTONE -> TOMBSTONE;
        };
    }
}
