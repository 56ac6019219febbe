package dev.costmeter.alerting.control;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.util.HashMap;
import java.util.Map;

/**
 * What a consumer of llm.control.v1 does before obeying a command: check the signature against
 * the keys it trusts (forged or altered commands fail) and that the sequence is above the last one
 * it applied for the scope (replays of old commands fail). The reference for the client module's
 * kill-switch consumer; not thread-safe.
 */
public final class CommandGate {

    /** Why a command was accepted or refused. */
    public enum Verdict {
        ACCEPTED, FORGED, UNKNOWN_KEY, REPLAYED
    }

    private final KeyRing trusted;
    private final Map<String, Long> lastApplied = new HashMap<>();

    public CommandGate(KeyRing trusted) {
        this.trusted = trusted;
    }

    public Verdict offer(ControlCommand command) {
        switch (CommandSigner.verify(command, trusted)) {
            case UNKNOWN_KEY:
                return Verdict.UNKNOWN_KEY;
            case BAD_SIGNATURE:
                return Verdict.FORGED;
            default:
                break;
        }
        Long last = lastApplied.get(command.getScope());
        if (last != null && command.getSequence() <= last) {
            return Verdict.REPLAYED;
        }
        lastApplied.put(command.getScope(), command.getSequence());
        return Verdict.ACCEPTED;
    }
}
