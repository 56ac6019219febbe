package dev.costmeter.client.killswitch;

/** Why a control record was not applied. Each is counted in {@link ControlMetrics#rejected}. */
public enum Rejection {
    /** The HMAC does not match: forged or altered. */
    BAD_SIGNATURE,
    /** Signed with a key id the client's key ring does not hold. */
    UNKNOWN_KEY,
    /** Its sequence is not above the last one applied for its scope: a replay or a stale copy. */
    REPLAYED,
    /** Its expires_at had passed when it arrived. */
    EXPIRED,
    /** Undecodable, an unknown scope syntax, or a record key that is not the command's scope. */
    MALFORMED
}
