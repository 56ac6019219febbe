package dev.costmeter.schemas.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class CommandSignerTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final KeyRing RING = KeyRing.of("pipeline-1", SECRET);

    private static ControlCommand command() {
        return ControlCommand.newBuilder().setScope("task:t-42").setAction(SwitchAction.BLOCK)
                .setReason("tool loop: search repeated 8 times").setIssuedAt(Instant.ofEpochMilli(1_764_236_400_000L))
                .setExpiresAt(null).setIssuer("rule:tool_loop").setSequence(7).setKeyId("").setSignature("").build();
    }

    @Test
    void shouldVerifyWhatItSigned() {
        ControlCommand signed = CommandSigner.sign(command(), RING);
        assertThat(signed.getKeyId()).isEqualTo("pipeline-1");
        assertThat(CommandSigner.verify(signed, RING)).isEqualTo(CommandSigner.Verdict.VALID);
    }

    @Test
    void shouldWriteTheDocumentedCanonicalForm() {
        ControlCommand signed = CommandSigner.sign(command(), RING);
        assertThat(CommandSigner.canonical(signed)).isEqualTo("""
                costmeter-control-v1
                scope=9:task:t-42
                action=5:BLOCK
                fallback_model=-1:
                reason=34:tool loop: search repeated 8 times
                issued_at=13:1764236400000
                expires_at=-1:
                issuer=14:rule:tool_loop
                sequence=1:7
                key_id=10:pipeline-1
                """);
    }

    @Test
    void shouldRejectAnAlteredCommand() {
        ControlCommand signed = CommandSigner.sign(command(), RING);
        ControlCommand widened = ControlCommand.newBuilder(signed).setScope("tenant:acme").build();
        ControlCommand replayedAsNewer = ControlCommand.newBuilder(signed).setSequence(8).build();
        assertThat(CommandSigner.verify(widened, RING)).isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
        assertThat(CommandSigner.verify(replayedAsNewer, RING)).isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
    }

    @Test
    void shouldRejectASignatureFromAnotherKeyOrAnUnknownKey() {
        KeyRing forger = KeyRing.of("pipeline-1", "ffffffffffffffffffffffffffffffff".getBytes(StandardCharsets.UTF_8));
        assertThat(CommandSigner.verify(CommandSigner.sign(command(), forger), RING)).isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
        KeyRing other = KeyRing.of("operator-9", SECRET);
        assertThat(CommandSigner.verify(CommandSigner.sign(command(), other), RING)).isEqualTo(CommandSigner.Verdict.UNKNOWN_KEY);
        assertThat(CommandSigner.verify(ControlCommand.newBuilder(CommandSigner.sign(command(), RING)).setSignature("%%%").build(), RING))
                .isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
    }

    @Test
    void shouldParseTheTextFormAndAcceptEveryKeyForVerification() {
        String b64 = Base64.getEncoder().encodeToString(SECRET);
        KeyRing ring = KeyRing.parse("control.keys", "new-2:" + b64 + ", pipeline-1:" + b64);
        assertThat(ring.ids()).containsExactly("new-2", "pipeline-1");
        assertThat(ring.signingKeyId()).isEqualTo("new-2");
        assertThat(CommandSigner.verify(CommandSigner.sign(command(), RING), ring)).isEqualTo(CommandSigner.Verdict.VALID);
    }

    @Test
    void shouldRefuseShortSecretsAndMalformedRingsWithoutEchoingSecrets() {
        assertThatThrownBy(() -> KeyRing.parse("control.keys", "k:" + Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(ConfigException.class).hasMessageContaining("at least 32 bytes");
        assertThatThrownBy(() -> KeyRing.parse("control.keys", "no-colon-secret"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("control.keys")
                .hasMessageContaining("id:base64secret").hasMessageNotContaining("no-colon-secret");
    }
}
