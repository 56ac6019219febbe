package dev.costmeter.client.killswitch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** What a client answers before it has read anything; reading itself is covered by ClientIT. */
class KillSwitchClientTest {

    private static KillSwitchClient.Builder builder() {
        return KillSwitchClient.builder().bootstrapServers("127.0.0.1:1").registryUrl("http://127.0.0.1:1")
                .verifyKeys(Commands.TRUSTED);
    }

    @Test
    void shouldBlockWithAnUnknownStateReasonBeforeCaughtUpWhenFailingClosed() {
        try (KillSwitchClient client = builder().startupPolicy(StartupPolicy.FAIL_CLOSED).build()) {
            assertThat(client.check("acme", "chat", null, "t1", null))
                    .isEqualTo(new Decision.Block("kill-switch state unknown", "*"));
            assertThat(client.metrics().caughtUp()).isFalse();
        }
    }

    @Test
    void shouldAllowBeforeCaughtUpWhenFailingOpen() {
        try (KillSwitchClient client = builder().build()) {
            assertThat(client.check("acme", "chat", null, "t1", null)).isSameAs(Decision.ALLOW);
        }
    }

    @Test
    void shouldRefuseToBuildWithoutKeys() {
        assertThatThrownBy(() -> KillSwitchClient.builder().bootstrapServers("x:9092").registryUrl("http://x").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("verifyKeys are required");
    }

    @Test
    void shouldCountNothingBeforeStart() {
        try (KillSwitchClient client = builder().build()) {
            assertThat(client.metrics().lag()).isEqualTo(-1);
            assertThat(client.metrics().applied()).isZero();
            assertThat(client.metrics().lastUpdateAge()).isEmpty();
            assertThat(client.metrics().rejected()).containsOnlyKeys(Rejection.values()).allSatisfy((r, n) -> assertThat(n).isZero());
        }
    }
}
