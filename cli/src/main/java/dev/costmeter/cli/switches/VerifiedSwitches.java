package dev.costmeter.cli.switches;

import dev.costmeter.cli.switches.ControlRecords.ControlRecord;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.control.Judgement;
import dev.costmeter.schemas.control.Refusal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The control topic as a verifying service sees it after reading every record in order: each record
 * judged by the services' own {@link CommandJudge}, the command each scope enforces, and why every
 * other record is not in force.
 */
final class VerifiedSwitches {

    /** Where a scope stands. */
    enum State {
        /** A verified BLOCK or DEGRADE, not expired: services apply it. */
        IN_FORCE,
        /** Its newest verified command is an ALLOW. */
        LIFTED,
        /** Its newest verified command expired. */
        EXPIRED,
        /** Lifted or expired, then cleaned up by a tombstone. */
        CLEANED_UP,
        /** No record of it ever verified. */
        NEVER_SET
    }

    /** One record and what the services' rules made of it. */
    record Verdict(ControlRecord record, Judgement.Kind kind, Refusal refusal, String detail) {

        /** Short: {@code applied}, {@code expired}, {@code cleaned up}, {@code unchanged} or the refusal. */
        String outcome() {
            return kind == Judgement.Kind.REFUSED ? refusal.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                    : kind == Judgement.Kind.CLEANED ? "cleaned up" : kind.name().toLowerCase(java.util.Locale.ROOT);
        }

        /** What the record held: e.g. {@code BLOCK #12 key k1}, {@code tombstone}, {@code undecodable}. */
        String what() {
            ControlCommand c = record.command();
            if (c != null) {
                return c.getAction() + " #" + c.getSequence() + " key " + c.getKeyId();
            }
            return record.tombstone() ? "tombstone" : "undecodable";
        }
    }

    /**
     * One scope.
     *
     * @param water  its newest verified command (or only its high water), null when none verified
     * @param latest the last record of the scope on the topic (what compaction keeps) and its verdict
     */
    record Scope(String scope, HighWater water, Verdict latest, State state) {

        /** The newest verified command, if still held. */
        ControlCommand command() {
            return water == null ? null : water.command();
        }
    }

    private final Map<String, Scope> scopes = new TreeMap<>();
    private final List<Verdict> verdicts = new ArrayList<>();
    private final Map<Refusal, Integer> refused = new EnumMap<>(Refusal.class);

    private VerifiedSwitches() {
    }

    static VerifiedSwitches of(List<ControlRecord> records, CommandJudge judge, long nowMs) {
        VerifiedSwitches board = new VerifiedSwitches();
        Map<String, HighWater> waters = new TreeMap<>();
        for (ControlRecord record : records) {
            HighWater prior = record.key() == null ? null : waters.get(record.key());
            Judgement j = record.undecodable() != null ? CommandJudge.undecodable(record.undecodable(), prior)
                    : judge.judge(record.key(), record.command(), prior, nowMs);
            Verdict verdict = new Verdict(record, j.kind(), j.refusal(), j.detail());
            board.verdicts.add(verdict);
            if (j.refusal() != null) {
                board.refused.merge(j.refusal(), 1, Integer::sum);
            }
            if (record.key() == null) {
                continue;
            }
            if (j.next() != null) {
                waters.put(record.key(), j.next());
            }
            HighWater water = waters.get(record.key());
            board.scopes.put(record.key(), new Scope(record.key(), water, verdict, state(water, nowMs)));
        }
        return board;
    }

    private static State state(HighWater water, long nowMs) {
        if (water == null) {
            return State.NEVER_SET;
        }
        ControlCommand c = water.command();
        if (c == null) {
            return State.CLEANED_UP;
        }
        if (c.getAction() == SwitchAction.ALLOW) {
            return State.LIFTED;
        }
        return water.inForce(nowMs) ? State.IN_FORCE : State.EXPIRED;
    }

    /** Every scope that has a record on the topic, sorted. */
    Collection<Scope> scopes() {
        return scopes.values();
    }

    /** The scopes whose switch services apply now. */
    List<Scope> inForce() {
        return scopes.values().stream().filter(s -> s.state() == State.IN_FORCE).toList();
    }

    /** Every record, in the order read (offset order within each partition), with its verdict. */
    List<Verdict> verdicts() {
        return verdicts;
    }

    /** How many records were refused, by why. */
    Map<Refusal, Integer> refused() {
        return refused;
    }

    /** The scope's newest verified command's sequence and issue time, or null when none verified. */
    HighWater water(String scope) {
        Scope s = scopes.get(scope);
        return s == null ? null : s.water();
    }
}
