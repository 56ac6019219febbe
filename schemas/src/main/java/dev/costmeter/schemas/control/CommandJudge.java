package dev.costmeter.schemas.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;

/**
 * The rules every consumer of llm.control.v1 applies to a record, given what it accepted before for
 * the record's scope: the Java client's switch table, costctl's {@code switches list} and
 * alerting-stream's re-assertion all judge records with this one class, so they agree on what is in
 * force.
 *
 * <ol>
 *   <li>A record needs a key, and a command's scope must be a valid switch scope equal to the key
 *       (the key is not signed).</li>
 *   <li>A command must be signed with Ed25519 by a trusted key, the one its key_id names.</li>
 *   <li>A command must be newer than the newest accepted for its scope: a higher sequence and an
 *       issued_at not before it. Otherwise it is a replay, however valid its signature.</li>
 *   <li>A newer command is accepted; if it expired already it sets nothing but still ends the
 *       scope's previous switch. The newest command itself read again changes nothing.</li>
 *   <li>A tombstone (null value) never lifts a switch in force. It only lets a consumer forget a
 *       scope whose newest command is an ALLOW or has expired; the high water is kept.</li>
 * </ol>
 *
 * <p>Stateless and thread-safe; the caller keeps each scope's {@link HighWater}.
 */
public final class CommandJudge {

    private final VerifyKeys keys;

    public CommandJudge(VerifyKeys keys) {
        this.keys = java.util.Objects.requireNonNull(keys, "keys");
    }

    /** The keys commands are verified with. */
    public VerifyKeys keys() {
        return keys;
    }

    /**
     * Judges one record.
     *
     * @param key     the record key (the scope), or null
     * @param command the decoded value, or null for a tombstone
     * @param prior   the scope's high water before this record, or null
     * @param nowMs   the wall clock, for expiry
     */
    public Judgement judge(String key, ControlCommand command, HighWater prior, long nowMs) {
        if (key == null) {
            return Judgement.refused(Refusal.MALFORMED, "record without a key", prior);
        }
        if (command == null) {
            return tombstone(key, prior, nowMs);
        }
        if (SwitchScope.parse(command.getScope()).isEmpty()) {
            return Judgement.refused(Refusal.MALFORMED, "unknown scope syntax '" + printable(command.getScope()) + "'", prior);
        }
        if (!command.getScope().equals(key)) {
            return Judgement.refused(Refusal.MALFORMED, "record key '" + printable(key) + "' is not the scope '"
                    + printable(command.getScope()) + "'", prior);
        }
        switch (CommandSigner.verify(command, keys)) {
            case UNSUPPORTED_ALGORITHM:
                return Judgement.refused(Refusal.UNSUPPORTED_ALGORITHM, "signed with " + printable(command.getAlgorithm())
                        + ", not Ed25519 (commands of an earlier version are no longer accepted)", prior);
            case UNKNOWN_KEY:
                return Judgement.refused(Refusal.UNKNOWN_KEY, "key id '" + printable(command.getKeyId()) + "' is not in " + keys, prior);
            case BAD_SIGNATURE:
                return Judgement.refused(Refusal.BAD_SIGNATURE, "signature does not match for key '" + printable(command.getKeyId())
                        + "': forged or altered", prior);
            default:
                break;
        }
        if (prior != null && prior.isSameCommand(command)) {
            if (prior.command() != null) {
                return new Judgement(Judgement.Kind.UNCHANGED, null, "the newest accepted command, read again", prior);
            }
            // known by its high water only (a cleaned-up scope): it is that very command, so take it again
        } else if (prior != null) {
            if (command.getSequence() <= prior.sequence()) {
                return Judgement.refused(Refusal.REPLAYED, "sequence " + command.getSequence() + " is not above "
                        + prior.sequence() + ", the newest accepted", prior);
            }
            if (command.getIssuedAt().toEpochMilli() < prior.issuedAtMs()) {
                return Judgement.refused(Refusal.REPLAYED, "issued at " + command.getIssuedAt()
                        + ", before the newest accepted (" + Instant.ofEpochMilli(prior.issuedAtMs()) + ")", prior);
            }
        }
        HighWater next = HighWater.of(command);
        if (command.getAction() != SwitchAction.ALLOW && command.getExpiresAt() != null
                && command.getExpiresAt().toEpochMilli() <= nowMs) {
            return new Judgement(Judgement.Kind.EXPIRED, null, command.getAction() + " expired at " + command.getExpiresAt(), next);
        }
        return new Judgement(Judgement.Kind.APPLIED, null, command.getAction() + " sequence " + command.getSequence()
                + " signed by '" + command.getKeyId() + "'", next);
    }

    /** A record that could not be decoded: malformed, and it changes nothing. */
    public static Judgement undecodable(String detail, HighWater prior) {
        return Judgement.refused(Refusal.MALFORMED, "undecodable: " + printable(detail), prior);
    }

    private static Judgement tombstone(String key, HighWater prior, long nowMs) {
        if (SwitchScope.parse(key).isEmpty()) {
            return Judgement.refused(Refusal.MALFORMED, "tombstone for unknown scope syntax '" + printable(key) + "'", prior);
        }
        if (prior != null && prior.inForce(nowMs)) {
            return Judgement.refused(Refusal.TOMBSTONE, "tombstone ignored: " + prior.command().getAction() + " sequence "
                    + prior.sequence() + " is in force; only a signed ALLOW or its expiry lifts it", prior);
        }
        return new Judgement(Judgement.Kind.CLEANED, null, "tombstone of a lifted or expired switch",
                prior == null ? null : prior.withoutCommand());
    }

    /**
     * Text anyone who can write the topic controls, made safe for a log line or a terminal: control
     * characters (a forged newline or escape sequence) become {@code ?}, and it is cut at 200 characters.
     */
    public static String printable(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        text.codePoints().limit(200).forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > 200 ? out.append("...").toString() : out.toString();
    }
}
