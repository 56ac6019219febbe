package dev.costmeter.schemas.control;

/** Why {@link CommandJudge} does not let a control record change what a scope's switch is. */
public enum Refusal {
    /** No key, a key that is not the command's scope (the key is not signed), or an unknown scope syntax. */
    MALFORMED,
    /** Not signed with Ed25519: an HMAC-SHA256 command of an earlier version. */
    UNSUPPORTED_ALGORITHM,
    /** Signed with a key id the verifier does not trust. */
    UNKNOWN_KEY,
    /** The signature does not match: forged or altered. */
    BAD_SIGNATURE,
    /** Not newer than the newest command accepted for the scope: a lower or equal sequence, or issued before it. */
    REPLAYED,
    /** A tombstone for a scope whose switch is in force: only a signed ALLOW or the command's expiry lifts it. */
    TOMBSTONE
}
