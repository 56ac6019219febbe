package dev.costmeter.client.killswitch;

import static dev.costmeter.client.killswitch.Commands.KEYS;
import static dev.costmeter.client.killswitch.Commands.OTHER_KEYS;
import static dev.costmeter.client.killswitch.Commands.T0;
import static dev.costmeter.client.killswitch.Commands.allow;
import static dev.costmeter.client.killswitch.Commands.block;
import static dev.costmeter.client.killswitch.Commands.degrade;
import static dev.costmeter.client.killswitch.Commands.signed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.KeyRing;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SwitchTableTest {

    private static final long NOW = T0.toEpochMilli();
    private final SwitchTable table = new SwitchTable(KEYS);

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
        ControlCommand forged = signed("tenant:acme", SwitchAction.ALLOW, null, 9, null, OTHER_KEYS);

        assertThat(apply(forged)).isEqualTo(new SwitchTable.Rejected(Rejection.BAD_SIGNATURE, "signature does not match for scope tenant:acme"));
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
        KeyRing stranger = KeyRing.of("k9", "a-stranger-secret-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8));

        assertThat(apply(signed("task:t1", SwitchAction.BLOCK, null, 1, null, stranger)))
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
    void shouldNotAcceptAReplayAfterATombstone() {
        ControlCommand first = block("task:t1", 5);
        apply(first);
        table.remove("task:t1");

        assertThat(apply(first)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.REPLAYED);
        assertThat(check("acme", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldRejectAnExpiredCommandAndEndWhatItReplaces() {
        apply(block("route:chat", 1));

        ControlCommand expired = signed("route:chat", SwitchAction.BLOCK, null, 2, T0.minusSeconds(1), KEYS);

        assertThat(apply(expired)).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.EXPIRED);
        assertThat(check("acme", "chat", null, null, null)).isSameAs(Decision.ALLOW);
    }

    @Test
    void shouldStopApplyingASwitchOnceItsExpiryPasses() {
        apply(signed("task:t1", SwitchAction.BLOCK, null, 1, T0.plusSeconds(60), KEYS));
        apply(block("tenant:acme", 1));

        assertThat(table.decide("acme", "chat", null, "t1", null, NOW + 59_999)).extracting(this::scopeOf).isEqualTo("task:t1");
        assertThat(table.decide("acme", "chat", null, "t1", null, NOW + 60_000)).as("falls through to the tenant")
                .extracting(this::scopeOf).isEqualTo("tenant:acme");
    }

    @Test
    void shouldRemoveAScopeOnATombstone() {
        apply(block("end_user:acme/u1", 1));

        assertThat(table.remove("end_user:acme/u1")).isEqualTo(new SwitchTable.Applied("end_user:acme/u1", Decision.ALLOW));
        assertThat(check("acme", "chat", null, null, "u1")).isSameAs(Decision.ALLOW);
        assertThat(table.active()).isZero();
    }

    @Test
    void shouldRejectMalformedScopesAndKeysThatAreNotTheScope() {
        assertThat(apply(block("team:x", 1))).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(apply(block("prompt:chat", 1))).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(table.apply("task:t2", block("task:t1", 1), NOW))
                .extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
        assertThat(table.remove("nonsense")).extracting(o -> ((SwitchTable.Rejected) o).reason()).isEqualTo(Rejection.MALFORMED);
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
