package dev.costmeter.schemas.control;

/**
 * What {@link CommandJudge} made of one control record.
 *
 * @param kind    what the record does to its scope
 * @param refusal why it does nothing, when {@code kind} is {@link Kind#REFUSED}; null otherwise
 * @param detail  one line for a log or an operator
 * @param next    the scope's high water after the record (the prior one when refused; null when the
 *                scope has none)
 */
public record Judgement(Kind kind, Refusal refusal, String detail, HighWater next) {

    /** What a record does to its scope's switch. */
    public enum Kind {
        /** A newer signed command: the scope's switch is now what it says (lifted by an ALLOW). */
        APPLIED,
        /** A newer signed command already expired on arrival: it sets nothing, and ends what the scope had. */
        EXPIRED,
        /** A tombstone for a scope whose switch is lifted or expired (or never set): it may be forgotten. */
        CLEANED,
        /** The newest accepted command itself, read again (a copy, or a re-read after a restart): nothing to do. */
        UNCHANGED,
        /** Changes nothing; see {@link #refusal()}. */
        REFUSED
    }

    static Judgement refused(Refusal refusal, String detail, HighWater prior) {
        return new Judgement(Kind.REFUSED, refusal, detail, prior);
    }
}
