package dev.costmeter.cli.switches;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.control.SigningKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;

/**
 * Publishes an operator's signed command for one scope: reads the control topic to its end as a
 * service does, takes the sequence above the scope's newest verified command
 * ({@code max(last + 1, now_ms × 1000)}) and an issue time not before it, signs with the operator's
 * key, checks that services would accept the result, and waits for the acknowledgement of all
 * in-sync replicas.
 */
final class SwitchIssuer {

    private final CompactedTopic<ControlCommand> topic;
    private final SigningKey key;
    private final CommandJudge judge;
    private final Clock clock;

    SwitchIssuer(CompactedTopic<ControlCommand> topic, SigningKey key, CommandJudge judge, Clock clock) {
        this.topic = topic;
        this.key = key;
        this.judge = judge;
        this.clock = clock;
    }

    /**
     * @param records       the control topic, read to its end
     * @param fallbackModel the model for DEGRADE, else ignored
     * @param lifetime      null for "until replaced"
     */
    ControlCommand issue(List<ControlRecords.ControlRecord> records, String scope, SwitchAction action, String fallbackModel,
            String reason, String issuer, Duration lifetime) {
        long nowMs = clock.millis();
        HighWater newest = VerifiedSwitches.of(records, judge, nowMs).water(scope);
        // A command issued before the scope's newest is a replay to services (clock skew between hosts).
        Instant issuedAt = Instant.ofEpochMilli(newest == null ? nowMs : Math.max(nowMs, newest.issuedAtMs()));
        ControlCommand unsigned = ControlCommand.newBuilder()
                .setScope(scope)
                .setAction(action)
                .setFallbackModel(action == SwitchAction.DEGRADE ? fallbackModel : null)
                .setReason(reason)
                .setIssuedAt(issuedAt)
                .setExpiresAt(lifetime == null ? null : issuedAt.plusMillis(lifetime.toMillis()))
                .setIssuer(issuer)
                .setSequence(SwitchBoard.nextSequence(newest == null ? 0 : newest.sequence(), issuedAt.toEpochMilli()))
                .setKeyId("")
                .setSignature("")
                .build();
        ControlCommand signed = CommandSigner.sign(unsigned, key);
        CommandSigner.Verdict verdict = CommandSigner.verify(signed, judge.keys());
        if (verdict != CommandSigner.Verdict.VALID) {
            throw CostctlException.failed("not published: services would refuse this command (" + verdict + "): the signing key '"
                    + key.id() + "' is not the private half of a key in the verify keys " + judge.keys().ids());
        }
        topic.publish(List.of(new AbstractMap.SimpleImmutableEntry<>(scope, signed)));
        return signed;
    }
}
