package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.alerting.control.ControlKeeper;
import dev.costmeter.alerting.control.ControlKeys;
import dev.costmeter.alerting.control.KeptSwitch;
import dev.costmeter.alerting.control.SwitchState;
import dev.costmeter.alerting.tasks.TaskGuard;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.topics.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * alerting-stream reading the control topic back: it re-asserts a scope's newest verified command
 * when a record would leave a fresh reader believing otherwise, re-signs at start what another key
 * signed, and tombstones task switches once they stopped applying.
 */
class ControlKeeperTest {

    /** An operator's key, trusted by alerting as by services. */
    private static final ControlKeyPair OPERATOR = ControlKeyPair.generate("operator-alice");
    private static final ControlKeyPair ALERTING = ControlKeyPair.generate("alerting-1");
    private static final ControlKeys KEYS = new ControlKeys(ALERTING.signingKey(),
            VerifyKeys.parse("test", ALERTING.verifyKeyText() + "," + OPERATOR.verifyKeyText()));

    @TempDir
    Path stateDir;

    private AlertingDriver driver() throws Exception {
        return new AlertingDriver(new AlertingSettings(TopicNames.defaults(), "alerting-stream", KEYS,
                AlertingDriver.rules(5, 30), Duration.ofSeconds(1), true), stateDir);
    }

    private static ControlCommand command(String scope, SwitchAction action, long sequence, Instant expiresAt, SigningKey key) {
        return CommandSigner.sign(ControlCommand.newBuilder().setScope(scope).setAction(action)
                .setReason("operator " + action + " of " + scope).setIssuedAt(T0).setExpiresAt(expiresAt)
                .setIssuer("operator:alice").setSequence(sequence).setKeyId("").setSignature("").build(), key);
    }

    private static void assertSameSwitch(ControlCommand reasserted, ControlCommand original, long sequence) {
        assertThat(reasserted.getSequence()).isEqualTo(sequence);
        assertThat(reasserted.getKeyId()).isEqualTo("alerting-1");
        assertThat(ControlCommand.newBuilder(reasserted).setSequence(original.getSequence()).setKeyId(original.getKeyId())
                .setSignature(original.getSignature()).build()).as("everything else unchanged, issued_at included").isEqualTo(original);
    }

    @Test
    void shouldReassertABlockOverATombstoneAForgedAllowAReplayAndGarbage() throws Exception {
        try (AlertingDriver d = driver()) {
            ControlCommand block = command("tenant:acme", SwitchAction.BLOCK, 10, null, OPERATOR.signingKey());
            d.controlIn.pipeInput("tenant:acme", block, T0);
            assertThat(d.commands()).as("a newer verified command is only kept").isEmpty();

            d.controlIn.pipeInput("tenant:acme", null, T0);
            d.controlIn.pipeInput("tenant:acme", CommandSigner.sign(ControlCommand.newBuilder(block)
                    .setAction(SwitchAction.ALLOW).setSequence(99).build(), ControlKeyPair.generate("operator-alice").signingKey()), T0);
            d.controlIn.pipeInput("tenant:acme", command("tenant:acme", SwitchAction.ALLOW, 9, null, OPERATOR.signingKey()), T0);
            d.rawControl.pipeInput("tenant:acme".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 42, 1, 2}, T0);
            d.controlIn.pipeInput("tenant:acme", ControlCommand.newBuilder(block).setSequence(50).setAlgorithm("HMAC-SHA256").build(), T0);

            List<ControlCommand> written = d.commands();
            assertThat(written).hasSize(5);
            for (int i = 0; i < written.size(); i++) {
                assertSameSwitch(written.get(i), block, 11 + i);
            }
            assertThat(d.counter("costmeter.alerting.control.refused", "reason", "tombstone")).isEqualTo(1);
            assertThat(d.counter("costmeter.alerting.control.refused", "reason", "bad-signature")).isEqualTo(1);
            assertThat(d.counter("costmeter.alerting.control.refused", "reason", "replayed")).isEqualTo(1);
        }
    }

    @Test
    void shouldReassertALiftWhenAnOlderBlockIsReplayedButIgnoreHarmlessRecords() throws Exception {
        try (AlertingDriver d = driver()) {
            ControlCommand block = command("route:chat", SwitchAction.BLOCK, 10, null, OPERATOR.signingKey());
            ControlCommand allow = command("route:chat", SwitchAction.ALLOW, 11, null, OPERATOR.signingKey());
            d.controlIn.pipeInput("route:chat", block, T0);
            d.controlIn.pipeInput("route:chat", allow, T0);

            d.controlIn.pipeInput("route:chat", null, T0);
            d.controlIn.pipeInput("route:chat", CommandSigner.sign(block, ControlKeyPair.generate("k9").signingKey()), T0);
            assertThat(d.commands()).as("a tombstone or a forgery of a lifted scope leaves it lifted for anyone").isEmpty();

            d.controlIn.pipeInput("route:chat", block, T0);

            assertThat(d.commands()).hasSize(1);
            assertSameSwitch(d.commands().get(0), allow, 12);
        }
    }

    @Test
    void shouldResignAtStartEveryCommandInForceSignedByAnotherKey() throws Exception {
        try (AlertingDriver d = driver()) {
            ControlCommand block = command("tenant:globex", SwitchAction.BLOCK, 10, null, OPERATOR.signingKey());
            d.controlIn.pipeInput("tenant:globex", block, T0);
            d.controlIn.pipeInput("tenant:initech", command("tenant:initech", SwitchAction.ALLOW, 3, null, OPERATOR.signingKey()), T0);

            d.advance(Duration.ofSeconds(1));

            assertThat(d.commands()).hasSize(1);
            assertSameSwitch(d.commands().get(0), block, 11);
            d.advance(Duration.ofMinutes(5));
            assertThat(d.commands()).as("once").hasSize(1);
        }
    }

    @Test
    void shouldTombstoneATaskSwitchOnceLiftedOrExpiredAndForgetItAfterTheHorizon() throws Exception {
        try (AlertingDriver d = driver()) {
            // signed by alerting itself, so that nothing is re-signed at start
            d.controlIn.pipeInput("task:t1", command("task:t1", SwitchAction.BLOCK, 10, null, ALERTING.signingKey()), T0);
            d.controlIn.pipeInput("task:t1", command("task:t1", SwitchAction.ALLOW, 11, null, ALERTING.signingKey()), T0);
            d.controlIn.pipeInput("task:t2", command("task:t2", SwitchAction.BLOCK, 5, T0.plus(Duration.ofMinutes(30)),
                    ALERTING.signingKey()), T0);
            d.controlIn.pipeInput("tenant:acme", command("tenant:acme", SwitchAction.ALLOW, 5, null, ALERTING.signingKey()), T0);

            d.advance(Duration.ofMinutes(9));
            assertThat(d.control.readRecordsToList()).as("within the delay: services may still be reading the ALLOW").isEmpty();
            d.advance(Duration.ofMinutes(2));
            assertThat(d.control.readRecordsToList()).extracting(TestRecord::key, TestRecord::value)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("task:t1", null));
            d.advance(Duration.ofMinutes(30));
            assertThat(d.control.readRecordsToList()).as("the expired task, never the tenant")
                    .extracting(TestRecord::key, TestRecord::value).containsExactly(org.assertj.core.groups.Tuple.tuple("task:t2", null));

            KeyValueStore<String, KeptSwitch> kept = d.driver.getKeyValueStore(ControlKeeper.STORE);
            d.controlIn.pipeInput("task:t1", command("task:t1", SwitchAction.BLOCK, 10, null, ALERTING.signingKey()), T0);
            assertThat(d.commands()).as("a replayed block of a tombstoned task is lifted again").hasSize(1)
                    .allSatisfy(c -> assertThat(c.getAction()).isEqualTo(SwitchAction.ALLOW));
            d.advance(Duration.ofDays(8));
            assertThat(kept.get("task:t2")).as("forgotten after the replay horizon").isNull();
            assertThat(kept.get("tenant:acme")).as("other scopes are kept").isNotNull();
        }
    }

    @Test
    void shouldReissueAtStartWhatItHoldsFromTheHmacEraSignedWithItsKey() throws Exception {
        try (AlertingDriver d = driver()) {
            KeyValueStore<String, SwitchState> switches = d.driver.getKeyValueStore(TaskGuard.SWITCHES_STORE);
            Map<String, SwitchState.Hold> holds = new LinkedHashMap<>();
            long until = T0.plus(Duration.ofHours(20)).toEpochMilli();
            holds.put("task_loop|task:t7|K5|x", new SwitchState.Hold("BLOCK", null, until, "task_loop", "looping"));
            switches.put("task:t7", new SwitchState(1_764_000_000_000_000L, "BLOCK", until, holds, null));
            switches.put("task:t8", new SwitchState(1_764_000_000_000_000L, "BLOCK", T0.minusSeconds(1).toEpochMilli(),
                    Map.of("c", new SwitchState.Hold("BLOCK", null, T0.minusSeconds(1).toEpochMilli(), "task_loop", "over")), null));

            d.advance(Duration.ofSeconds(1));

            assertThat(d.commands()).as("the expired hold is not revived").singleElement().satisfies(c -> {
                assertThat(c.getScope()).isEqualTo("task:t7");
                assertThat(c.getAction()).isEqualTo(SwitchAction.BLOCK);
                assertThat(c.getKeyId()).isEqualTo("alerting-1");
                assertThat(c.getExpiresAt()).isEqualTo(Instant.ofEpochMilli(until));
                assertThat(c.getSequence()).isGreaterThan(1_764_000_000_000_000L);
            });
            assertThat(switches.get("task:t7").keyId()).isEqualTo("alerting-1");
        }
    }

    @Test
    void shouldDropATaskSwitchStateOnceItsSwitchIsLifted() throws Exception {
        try (AlertingDriver d = driver()) {
            for (int i = 1; i <= 5; i++) {
                d.send(call("e" + i, "t1", T0.plusSeconds(i)).setToolName("x").setToolArgsHash("h").build());
            }
            KeyValueStore<String, SwitchState> switches = d.driver.getKeyValueStore(TaskGuard.SWITCHES_STORE);
            assertThat(switches.get("task:t1")).isNotNull();

            d.advance(Duration.ofMinutes(61));

            assertThat(d.commands()).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK, SwitchAction.ALLOW);
            assertThat(switches.get("task:t1")).isNull();
        }
    }
}
