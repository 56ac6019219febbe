package dev.costmeter.schemas.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandJudgeTest {

    private static final SigningKey KEY = SigningKey.parse("k", TestKeys.SIGNING);
    private static final CommandJudge JUDGE = new CommandJudge(VerifyKeys.parse("k", TestKeys.VERIFY));
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
    private static final long NOW = T0.toEpochMilli();

    private static ControlCommand command(String scope, SwitchAction action, long sequence, Instant issuedAt, Instant expiresAt) {
        return CommandSigner.sign(ControlCommand.newBuilder().setScope(scope).setAction(action)
                .setReason(action + " " + scope).setIssuedAt(issuedAt).setExpiresAt(expiresAt).setIssuer("rule:test")
                .setSequence(sequence).setKeyId("").setSignature("").build(), KEY);
    }

    private static ControlCommand block(long sequence) {
        return command("tenant:acme", SwitchAction.BLOCK, sequence, T0, null);
    }

    private static ControlCommand allow(long sequence) {
        return command("tenant:acme", SwitchAction.ALLOW, sequence, T0, null);
    }

    @Test
    void shouldApplyANewerSignedCommand() {
        Judgement first = JUDGE.judge("tenant:acme", block(10), null, NOW);
        Judgement lift = JUDGE.judge("tenant:acme", allow(11), first.next(), NOW);

        assertThat(first.kind()).isEqualTo(Judgement.Kind.APPLIED);
        assertThat(first.next().inForce(NOW)).isTrue();
        assertThat(lift.kind()).isEqualTo(Judgement.Kind.APPLIED);
        assertThat(lift.next().sequence()).isEqualTo(11);
        assertThat(lift.next().inForce(NOW)).isFalse();
    }

    @Test
    void shouldNeverLetATombstoneLiftASwitchInForce() {
        HighWater blocked = JUDGE.judge("tenant:acme", block(10), null, NOW).next();

        Judgement tombstone = JUDGE.judge("tenant:acme", null, blocked, NOW);

        assertThat(tombstone.kind()).isEqualTo(Judgement.Kind.REFUSED);
        assertThat(tombstone.refusal()).isEqualTo(Refusal.TOMBSTONE);
        assertThat(tombstone.next()).isSameAs(blocked);
        assertThat(tombstone.detail()).contains("BLOCK sequence 10 is in force");
    }

    @Test
    void shouldLetATombstoneCleanUpALiftedOrExpiredScopeAndKeepItsHighWater() {
        HighWater lifted = JUDGE.judge("tenant:acme", allow(11), null, NOW).next();
        HighWater expiring = JUDGE.judge("task:t1", command("task:t1", SwitchAction.BLOCK, 5, T0, T0.plusSeconds(60)), null, NOW).next();

        Judgement afterLift = JUDGE.judge("tenant:acme", null, lifted, NOW);
        Judgement afterExpiry = JUDGE.judge("task:t1", null, expiring, NOW + 60_000);

        assertThat(afterLift.kind()).isEqualTo(Judgement.Kind.CLEANED);
        assertThat(afterLift.next().command()).isNull();
        assertThat(afterLift.next().sequence()).isEqualTo(11);
        assertThat(afterExpiry.kind()).isEqualTo(Judgement.Kind.CLEANED);
        assertThat(JUDGE.judge("task:t1", null, expiring, NOW + 59_999).refusal()).isEqualTo(Refusal.TOMBSTONE);
        assertThat(JUDGE.judge("task:t9", null, null, NOW).kind()).as("nothing known").isEqualTo(Judgement.Kind.CLEANED);
    }

    @Test
    void shouldRefuseReplaysBySequenceAndByIssueTimeEvenAfterACleanUp() {
        HighWater lifted = JUDGE.judge("tenant:acme", allow(11), JUDGE.judge("tenant:acme", block(10), null, NOW).next(), NOW).next();
        HighWater cleaned = JUDGE.judge("tenant:acme", null, lifted, NOW).next();

        assertThat(JUDGE.judge("tenant:acme", block(10), cleaned, NOW).refusal()).isEqualTo(Refusal.REPLAYED);
        assertThat(JUDGE.judge("tenant:acme", block(11), cleaned, NOW).refusal()).as("equal sequence").isEqualTo(Refusal.REPLAYED);
        Judgement backdated = JUDGE.judge("tenant:acme", command("tenant:acme", SwitchAction.BLOCK, 12, T0.minusMillis(1), null), lifted, NOW);
        assertThat(backdated.refusal()).isEqualTo(Refusal.REPLAYED);
        assertThat(backdated.detail()).contains("before the newest accepted");
        assertThat(JUDGE.judge("tenant:acme", allow(11), lifted, NOW).kind()).as("the same command read twice")
                .isEqualTo(Judgement.Kind.UNCHANGED);
        assertThat(JUDGE.judge("tenant:acme", allow(11), cleaned, NOW).kind()).as("the same command after a clean-up")
                .isEqualTo(Judgement.Kind.APPLIED);
    }

    @Test
    void shouldTakeAgainTheVeryCommandACleanedUpScopeRemembersButNothingOlder() {
        ControlCommand block = block(10);
        HighWater cleanedUp = new HighWater(10, NOW, block.getSignature(), null);

        assertThat(JUDGE.judge("tenant:acme", block, cleanedUp, NOW).kind()).isEqualTo(Judgement.Kind.APPLIED);
        assertThat(JUDGE.judge("tenant:acme", allow(9), cleanedUp, NOW).refusal()).isEqualTo(Refusal.REPLAYED);
        ControlCommand otherAtTen = command("tenant:acme", SwitchAction.ALLOW, 10, T0, null);
        assertThat(JUDGE.judge("tenant:acme", otherAtTen, cleanedUp, NOW).refusal()).isEqualTo(Refusal.REPLAYED);
    }

    @Test
    void shouldTakeANewerExpiredCommandAsTheEndOfThePreviousSwitch() {
        HighWater blocked = JUDGE.judge("tenant:acme", block(10), null, NOW).next();

        Judgement expired = JUDGE.judge("tenant:acme", command("tenant:acme", SwitchAction.BLOCK, 11, T0, T0), blocked, NOW);

        assertThat(expired.kind()).isEqualTo(Judgement.Kind.EXPIRED);
        assertThat(expired.next().sequence()).isEqualTo(11);
        assertThat(expired.next().inForce(NOW)).isFalse();
    }

    @Test
    void shouldRefuseForgedUnknownHmacAndMalformedRecordsWithoutChangingTheHighWater() {
        HighWater blocked = JUDGE.judge("tenant:acme", block(10), null, NOW).next();
        ControlCommand lift = allow(11);
        ControlKeyPair mallory = ControlKeyPair.generate("test-vector-1");

        assertThat(JUDGE.judge("tenant:acme", CommandSigner.sign(lift, mallory.signingKey()), blocked, NOW).refusal())
                .isEqualTo(Refusal.BAD_SIGNATURE);
        assertThat(JUDGE.judge("tenant:acme", CommandSigner.sign(lift, ControlKeyPair.generate("k9").signingKey()), blocked, NOW).refusal())
                .isEqualTo(Refusal.UNKNOWN_KEY);
        assertThat(JUDGE.judge("tenant:acme", ControlCommand.newBuilder(lift).setAlgorithm("HMAC-SHA256").build(), blocked, NOW).refusal())
                .isEqualTo(Refusal.UNSUPPORTED_ALGORITHM);
        assertThat(JUDGE.judge("tenant:globex", lift, blocked, NOW).refusal()).as("key is not the scope").isEqualTo(Refusal.MALFORMED);
        assertThat(JUDGE.judge(null, lift, blocked, NOW).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(JUDGE.judge("team:x", command("team:x", SwitchAction.ALLOW, 1, T0, null), null, NOW).refusal())
                .isEqualTo(Refusal.MALFORMED);
        assertThat(JUDGE.judge("nonsense", null, null, NOW).refusal()).isEqualTo(Refusal.MALFORMED);
        assertThat(CommandJudge.undecodable("not Avro", blocked).next()).isSameAs(blocked);
    }

    @Test
    void shouldKeepWhatAnAttackerWroteOutOfLogLinesAndTerminals() {
        ControlCommand lift = ControlCommand.newBuilder(allow(11)).setKeyId("k\n2026-12-06 INFO all good\u001b[2J").build();

        Judgement j = JUDGE.judge("tenant:acme", lift, null, NOW);

        assertThat(j.refusal()).isEqualTo(Refusal.UNKNOWN_KEY);
        assertThat(j.detail()).doesNotContain("\n").doesNotContain("\u001b").contains("key id 'k?2026-12-06 INFO all good?[2J'");
        assertThat(JUDGE.judge("tenant:" + "x".repeat(500), null, null, NOW).detail()).hasSizeLessThan(300);
    }
}
