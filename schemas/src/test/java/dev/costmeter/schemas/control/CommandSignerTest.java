package dev.costmeter.schemas.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CommandSignerTest {

    private static final SigningKey KEY = SigningKey.parse("control.signing.key", TestKeys.SIGNING);
    private static final VerifyKeys TRUSTED = VerifyKeys.parse("control.verify.keys", TestKeys.VERIFY);

    /** The documented test vector (client/README.md): a non-ASCII reason shows lengths are UTF-8 bytes. */
    static ControlCommand vectorCommand() {
        return ControlCommand.newBuilder().setScope("task:t-42").setAction(SwitchAction.BLOCK)
                .setReason("tool loop: search repeated 8× (limit 8)").setIssuedAt(Instant.ofEpochMilli(1_764_236_400_000L))
                .setExpiresAt(Instant.ofEpochMilli(1_764_322_800_000L)).setIssuer("rule:task_loop").setSequence(1_764_236_400_000_000L)
                .setKeyId("").setSignature("").build();
    }

    @Test
    void shouldVerifyWhatItSigned() {
        ControlCommand signed = CommandSigner.sign(vectorCommand(), KEY);

        assertThat(signed.getKeyId()).isEqualTo("test-vector-1");
        assertThat(signed.getAlgorithm()).isEqualTo("Ed25519");
        assertThat(CommandSigner.verify(signed, TRUSTED)).isEqualTo(CommandSigner.Verdict.VALID);
    }

    @Test
    void shouldSignTheDocumentedCanonicalFormByteForByte() {
        ControlCommand signed = CommandSigner.sign(vectorCommand(), KEY);

        assertThat(CommandSigner.canonical(signed)).isEqualTo("""
                costmeter-control-v2
                scope=9:task:t-42
                action=5:BLOCK
                fallback_model=-1:
                reason=40:tool loop: search repeated 8× (limit 8)
                issued_at=13:1764236400000
                expires_at=13:1764322800000
                issuer=14:rule:task_loop
                sequence=16:1764236400000000
                key_id=13:test-vector-1
                algorithm=7:Ed25519
                """);
        // Ed25519 is deterministic: this is the vector other languages check against (client/README.md).
        assertThat(signed.getSignature()).isEqualTo(
                "qMcYMqOd84VBELX4ufXL3Kwi3xUmzqCLZSwpcfphOyLqKvdc0Ie+7+e3Q0iKrKaTphRLdk3XR2/PZpXhxYEjDw==");
    }

    @Test
    void shouldRejectEveryAlteredField() {
        ControlCommand signed = CommandSigner.sign(vectorCommand(), KEY);

        for (ControlCommand altered : new ControlCommand[] {
                ControlCommand.newBuilder(signed).setScope("tenant:acme").build(),
                ControlCommand.newBuilder(signed).setAction(SwitchAction.ALLOW).build(),
                ControlCommand.newBuilder(signed).setFallbackModel("gpt-4o-mini").build(),
                ControlCommand.newBuilder(signed).setReason("lifted").build(),
                ControlCommand.newBuilder(signed).setIssuedAt(signed.getIssuedAt().plusMillis(1)).build(),
                ControlCommand.newBuilder(signed).setExpiresAt(null).build(),
                ControlCommand.newBuilder(signed).setIssuer("operator:mallory").build(),
                ControlCommand.newBuilder(signed).setSequence(signed.getSequence() + 1).build()}) {
            assertThat(CommandSigner.verify(altered, TRUSTED)).as(altered.toString()).isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
        }
    }

    @Test
    void shouldRejectAnotherKeyUnderTheSameIdAnUnknownIdAndGarbage() {
        ControlKeyPair mallory = ControlKeyPair.generate("test-vector-1");
        assertThat(CommandSigner.verify(CommandSigner.sign(vectorCommand(), mallory.signingKey()), TRUSTED))
                .isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
        ControlKeyPair stranger = ControlKeyPair.generate("stranger");
        assertThat(CommandSigner.verify(CommandSigner.sign(vectorCommand(), stranger.signingKey()), TRUSTED))
                .isEqualTo(CommandSigner.Verdict.UNKNOWN_KEY);
        ControlCommand signed = CommandSigner.sign(vectorCommand(), KEY);
        assertThat(CommandSigner.verify(ControlCommand.newBuilder(signed).setSignature("%%%").build(), TRUSTED))
                .isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
        assertThat(CommandSigner.verify(ControlCommand.newBuilder(signed).setSignature("AAAA").build(), TRUSTED))
                .isEqualTo(CommandSigner.Verdict.BAD_SIGNATURE);
    }

    @Test
    void shouldNeverAcceptACommandOfTheHmacEra() {
        ControlCommand signed = CommandSigner.sign(vectorCommand(), KEY);

        assertThat(CommandSigner.verify(ControlCommand.newBuilder(signed).setAlgorithm("HMAC-SHA256").build(), TRUSTED))
                .isEqualTo(CommandSigner.Verdict.UNSUPPORTED_ALGORITHM);
        assertThat(ControlCommand.newBuilder(vectorCommand()).build().getAlgorithm())
                .as("what a record written before the field reads as").isEqualTo("HMAC-SHA256");
    }

    @Test
    void shouldVerifyAgainstTheKeyTheCommandNamesWhileSeveralAreInForce() {
        ControlKeyPair next = ControlKeyPair.generate("next-2027");
        VerifyKeys both = VerifyKeys.parse("control.verify.keys", next.verifyKeyText() + ", " + TestKeys.VERIFY);

        assertThat(both.ids()).containsExactly("next-2027", "test-vector-1");
        assertThat(CommandSigner.verify(CommandSigner.sign(vectorCommand(), KEY), both)).isEqualTo(CommandSigner.Verdict.VALID);
        assertThat(CommandSigner.verify(CommandSigner.sign(vectorCommand(), next.signingKey()), both)).isEqualTo(CommandSigner.Verdict.VALID);
    }
}
