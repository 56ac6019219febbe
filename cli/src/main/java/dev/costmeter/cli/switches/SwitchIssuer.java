package dev.costmeter.cli.switches;

import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;

/**
 * Publishes an operator's signed command for one scope: reads the control topic to its end to find
 * the scope's highest sequence, issues {@code max(last + 1, now_ms × 1000)}, signs with the
 * operator's ring and waits for the acknowledgement of all in-sync replicas.
 */
final class SwitchIssuer {

    private final CompactedTopic<ControlCommand> topic;
    private final KeyRing keys;
    private final Clock clock;

    SwitchIssuer(CompactedTopic<ControlCommand> topic, KeyRing keys, Clock clock) {
        this.topic = topic;
        this.keys = keys;
        this.clock = clock;
    }

    /**
     * @param fallbackModel the model for DEGRADE, else ignored
     * @param lifetime null for "until replaced"
     */
    ControlCommand issue(String scope, SwitchAction action, String fallbackModel, String reason, String issuer,
            Duration lifetime) {
        SwitchBoard board = SwitchBoard.of(topic.readAll());
        Instant now = Instant.ofEpochMilli(clock.millis());
        ControlCommand unsigned = ControlCommand.newBuilder()
                .setScope(scope)
                .setAction(action)
                .setFallbackModel(action == SwitchAction.DEGRADE ? fallbackModel : null)
                .setReason(reason)
                .setIssuedAt(now)
                .setExpiresAt(lifetime == null ? null : now.plusMillis(lifetime.toMillis()))
                .setIssuer(issuer)
                .setSequence(SwitchBoard.nextSequence(board.lastSequence(scope), now.toEpochMilli()))
                .setKeyId("")
                .setSignature("")
                .build();
        ControlCommand signed = CommandSigner.sign(unsigned, keys);
        topic.publish(List.of(new AbstractMap.SimpleImmutableEntry<>(scope, signed)));
        return signed;
    }
}
