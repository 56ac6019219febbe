package dev.costmeter.client.killswitch;

import static dev.costmeter.client.killswitch.Commands.FORGER;
import static dev.costmeter.client.killswitch.Commands.KEY;
import static dev.costmeter.client.killswitch.Commands.STRANGER;
import static dev.costmeter.client.killswitch.Commands.T0;
import static dev.costmeter.client.killswitch.Commands.TRUSTED;
import static dev.costmeter.client.killswitch.Commands.allow;
import static dev.costmeter.client.killswitch.Commands.block;
import static dev.costmeter.client.killswitch.Commands.degrade;
import static dev.costmeter.client.killswitch.Commands.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import org.junit.jupiter.api.Test;

class SwitchTableTest {

    private static final long NOW = T0.toEpochMilli();
    private final SwitchTable table = new SwitchTable(TRUSTED);

    private SwitchTable.Outcome apply(ControlCommand command) {
        return table.apply(command.getScope(), command, NOW);
    }

    private Decision check(String tenant, String route, String prompt, String task, String user) {
        return table.decide(tenant, route, prompt, task, user, NOW);
    }

    @Test
    void shouldAllowEverythingWhenNoSwitchIsSet() {
        assertThat(check("acme", "chat", "v1", "t1", "u1")).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldBlockATaskAndNothingElse() {
        assertThat(apply(block("task:t1", 1))).isInstanceOf(SwitchTable.Applied.class);

        assertThat(check("acme", "chat", null, "t1", null)).isEqualTo(new Decision.Block("test BLOCK of task:t1", "task:t1"));
        assertThat(check("acme", "chat", null, "t2", null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldApplyTheMostSpecificScopeInTheDocumentedOrder() {
        apply(block("tenant:acme", 1));
        apply(degrade("route:chat", "small-model", 1));
        apply(block("prompt:chat@summarize@v7", 1));
        apply(degrade("end_user:acme/u1", "tiny-model", 1));
        apply(block("task:t1", 1));

        assertThat(check("acme", "chat", "summarize@v7", "t1", "u1")).extracting(this::scopeOf).isEqualTo("task:t1");
        assertThat(check("acme", "chat", "summarize@v7", "t2", "u1")).extracting(this::scopeOf).isEqualTo("end_user:acme/u1");
        assertThat(check("acme", "chat", "summarize@v7", "t2", "u2")).extracting(this::scopeOf).isEqualTo("prompt:chat@summarize@v7");
        assertThat(check("acme", "chat", "summarize@v8", "t2", "u2")).extracting(this::scopeOf).isEqualTo("route:chat");
        assertThat(check("acme", "search", null, "t2", "u2")).extracting(this::scopeOf).isEqualTo("tenant:acme");
        assertThat(check("globex", "search", null, "t2", "u2")).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldDegradeToTheFallbackModel() {
        apply(degrade("route:chat", "gpt-4o-mini", 1));

        assertThat(check("acme", "chat", null, "t1", null)).isEqualTo(new Decision.Degrade("gpt-4o-mini", "test DEGRADE of route:chat", "route:chat"));
    }

    @Test
    void shouldLiftOnlyItsOwnScopeWithAnAllowCommand() {
        apply(block("tenant:acme", 1));
        apply(block("task:t1", 1));

        apply(allow("task:t1", 2));

        assertThat(check("acme", "chat", null, "t1", null)).as("the tenant-wide block still holds")
                .extracting(this::scopeOf).isEqualTo("tenant:acme");
        apply(allow("tenant:acme", 2));
        assertThat(check("acme", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
        assertThat(table.active()).isZero();
    }

    @Test
    void shouldRejectAForgedCommand() {
        ControlCommand forged = signed("tenant:acme", SwitchAction.ALLOW, null, 9, null, FORGER);

        assertThat(apply(forged)).isEqualTo(new SwitchTable.Rejected(Rejection.BAD_SIGNATURE,
                "signature does not match for key 'k1': forged or altered (scope tenant:acme)"));
    }

    @Test
    void shouldRejectACommandAlteredAfterSigning() {
        apply(block("route:chat", 1));
        ControlCommand altered = ControlCommand.newBuilder(block("route:chat", 2)).setAction(SwitchAction.ALLOW).build();

        assertThat(apply(altered)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.BAD_SIGNATURE);
        assertThat(check("acme", "chat", null, null, null).allowed()).isFalse();
    }

    @Test
    void shouldRejectACommandSignedWithAnUnknownKey() {
        assertThat(apply(signed("task:t1", SwitchAction.BLOCK, null, 1, null, STRANGER)))
                .extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.UNKNOWN_KEY);
    }

    @Test
    void shouldRejectAReplayedOrStaleSequence() {
        ControlCommand first = block("task:t1", 5);
        apply(first);
        apply(allow("task:t1", 6));

        assertThat(apply(first)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.REPLAYED);
        assertThat(apply(block("task:t1", 6))).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.REPLAYED);
        assertThat(check("acme", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldRejectACommandIssuedBeforeTheNewestEvenWithAHigherSequence() {
        apply(block("task:t1", 5));
        ControlCommand backdated = ControlCommand.newBuilder(Commands.unsigned("task:t1", SwitchAction.ALLOW, null, 6, null))
                .setIssuedAt(T0.minusSeconds(1)).build();

        assertThat(apply(CommandSigner.sign(backdated, KEY)))
                .extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.REPLAYED);
        assertThat(check("acme", "chat", null, "t1", null).allowed()).isFalse();
    }

    @Test
    void shouldNotAcceptAReplayAfterATombstone() {
        apply(block("task:t1", 5));
        apply(allow("task:t1", 6));
        assertThat(table.apply("task:t1", null, NOW)).isEqualTo(new SwitchTable.Cleaned("task:t1", false));

        assertThat(apply(block("task:t1", 5))).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.REPLAYED);
        assertThat(check("acme", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldNeverLiftASwitchInForceOnATombstone() {
        apply(block("tenant:acme", 5));

        assertThat(table.apply("tenant:acme", null, NOW)).extracting(o -> ((SwitchTable.Rejected) o).reason())
                .isEqualTo(Rejection.TOMBSTONE);
        assertThat(check("acme", "chat", null, null, null)).isEqualTo(new Decision.Block("test BLOCK of tenant:acme", "tenant:acme"));
        assertThat(table.active()).isEqualTo(1);
    }

    @Test
    void shouldKeepASwitchAndRefuseAnOlderCommandAfterARestartFromWhatItAccepted() {
        ControlCommand block = block("tenant:acme", 7);
        SwitchTable before = new SwitchTable(TRUSTED);
        before.apply("tenant:acme", allow("tenant:acme", 3), NOW);
        before.apply("tenant:acme", block, NOW);
        before.apply("task:t1", block("task:t1", 4), NOW);
        before.apply("task:t1", allow("task:t1", 5), NOW);
        before.apply("task:t1", null, NOW);

        table.restore(before.highWaters(), NOW);

        assertThat(check("acme", "chat", null, null, null)).as("known before anything is read")
                .isEqualTo(new Decision.Block("test BLOCK of tenant:acme", "tenant:acme"));
        assertThat(apply(allow("tenant:acme", 3))).as("compaction left an old ALLOW as the only record")
                .extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.REPLAYED);
        assertThat(apply(block)).as("the newest command itself, read again").isEqualTo(new SwitchTable.Unchanged("tenant:acme"));
        assertThat(apply(block("task:t1", 4))).as("a cleaned-up task's old block").isInstanceOf(SwitchTable.Rejected.class);
        assertThat(check("acme", "chat", null, "t1", null).allowed()).isFalse();
        assertThat(check("globex", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldDropAKeptCommandWhoseKeyIsNoLongerTrustedButKeepItsHighWater() {
        SwitchTable before = new SwitchTable(TRUSTED);
        before.apply("tenant:acme", block("tenant:acme", 7), NOW);
        SwitchTable rotated = new SwitchTable(dev.costmeter.schemas.control.ControlKeyPair.generate("k2").verifyKeys());

        rotated.restore(before.highWaters(), NOW);

        assertThat(rotated.decide("acme", null, null, null, null, NOW)).isSameAs(Decision.ALLOW);
        assertThat(rotated.highWaters().get("tenant:acme").sequence()).isEqualTo(7);
    }

    @Test
    void shouldRefuseACommandOfTheHmacEra() {
        ControlCommand hmac = ControlCommand.newBuilder(allow("tenant:acme", 9)).setAlgorithm("HMAC-SHA256").build();

        assertThat(apply(hmac)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void shouldRejectAnExpiredCommandAndEndWhatItReplaces() {
        apply(block("route:chat", 1));

        ControlCommand expired = signed("route:chat", SwitchAction.BLOCK, null, 2, T0.minusSeconds(1), KEY);

        assertThat(apply(expired)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.EXPIRED);
        assertThat(check("acme", "chat", null, null, null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldStopApplyingASwitchOnceItsExpiryPasses() {
        apply(signed("task:t1", SwitchAction.BLOCK, null, 1, T0.plusSeconds(60), KEY));
        apply(block("tenant:acme", 1));

        assertThat(table.decide("acme", "chat", null, "t1", null, NOW + 59_999)).extracting(this::scopeOf).isEqualTo("task:t1");
        assertThat(table.decide("acme", "chat", null, "t1", null, NOW + 60_000)).as("falls through to the tenant")
                .extracting(this::scopeOf).isEqualTo("tenant:acme");
    }

    @Test
    void shouldForgetAnExpiredSwitchOnATombstone() {
        apply(signed("end_user:acme/u1", SwitchAction.BLOCK, null, 1, T0.plusSeconds(60), KEY));

        assertThat(table.apply("end_user:acme/u1", null, NOW + 60_000)).isEqualTo(new SwitchTable.Cleaned("end_user:acme/u1", true));
        assertThat(check("acme", "chat", null, null, "u1")).isSameAs(Decision.ALLOW);
        assertThat(table.active()).isZero();
    }

    @Test
    void shouldRejectMalformedScopesAndKeysThatAreNotTheScope() {
        assertThat(apply(block("team:x", 1))).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(apply(block("prompt:chat", 1))).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(table.apply("task:t2", block("task:t1", 1), NOW))
                .extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(table.apply("nonsense", null, NOW)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(table.undecodable("task:t1", "not Avro")).extracting(o -> ((SwitchTable.Rejected) o).reason())
                .isEqualTo(Rejection.MALFORMED);
    }

    private String scopeOf(Decision decision) {
        if (decision instanceof Decision.Block block) {
            return block.scope();
        }
        if (decision instanceof Decision.Degrade degrade) {
            return degrade.scope();
        }
        return "none";
    }
}
