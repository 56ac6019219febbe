package dev.costmeter.cli.switches;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The control topic by sequence alone, without checking signatures: per scope, the command with the
 * highest sequence, a tombstone never lifting it (as services apply them). {@code costctl status}
 * counts switches with it; {@code switches list} and publishing use {@link VerifiedSwitches}, which
 * checks signatures exactly as services do.
 */
public final class SwitchBoard {

    /** Where a scope's latest command stands at an instant. */
    public enum State {
        /** BLOCK or DEGRADE, not expired. */
        IN_FORCE,
        /** ALLOW: the scope's switch was lifted. */
        LIFTED,
        /** BLOCK or DEGRADE whose expires_at has passed. */
        EXPIRED
    }

    private final Map<String, ControlCommand> latest = new TreeMap<>();
    private final Map<String, Long> highestSequence = new HashMap<>();

    /** Builds the board from every record of the topic, in offset order. */
    public static SwitchBoard of(List<ConsumerRecord<String, ControlCommand>> records) {
        SwitchBoard board = new SwitchBoard();
        for (ConsumerRecord<String, ControlCommand> record : records) {
            board.apply(record.key(), record.value());
        }
        return board;
    }

    /** Applies one record; a null command is a tombstone, which lifts nothing; an older sequence is a replay. */
    public void apply(String scope, ControlCommand command) {
        if (command == null || command.getSequence() <= highestSequence.getOrDefault(scope, Long.MIN_VALUE)) {
            return;
        }
        latest.put(scope, command);
        highestSequence.put(scope, command.getSequence());
    }

    /** The highest sequence seen for {@code scope}, or 0 when the topic holds none. */
    public long lastSequence(String scope) {
        return highestSequence.getOrDefault(scope, 0L);
    }

    /** The newest command of every scope, sorted by scope. */
    public Map<String, ControlCommand> latest() {
        return latest;
    }

    /** The newest commands that are in force at {@code now}: not ALLOW and not expired. */
    public List<ControlCommand> inForce(Instant now) {
        List<ControlCommand> active = new ArrayList<>();
        latest.values().forEach(c -> {
            if (state(c, now) == State.IN_FORCE) {
                active.add(c);
            }
        });
        return active;
    }

    public static State state(ControlCommand command, Instant now) {
        if (command.getAction() == SwitchAction.ALLOW) {
            return State.LIFTED;
        }
        Instant expires = command.getExpiresAt();
        return expires != null && !expires.isAfter(now) ? State.EXPIRED : State.IN_FORCE;
    }

    /**
     * The sequence of a new command for a scope: {@code max(last + 1, issuedAtMillis × 1000)}, as
     * alerting-stream's CommandIssuer. The clock term keeps an operator's command above any the
     * pipeline issues for the same scope within the same millisecond range, above alerting-stream's
     * re-assertions (+ 1 each), and above commands this reader could not see (another operator
     * publishing at the same moment).
     */
    public static long nextSequence(long last, long issuedAtMillis) {
        return Math.max(last + 1, Math.multiplyExact(issuedAtMillis, 1000L));
    }
}
