package dev.costmeter.schemas.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlKeysTest {

    @TempDir
    Path dir;

    @Test
    void shouldGenerateAPairWhoseHalvesMatchAndWhoseTextNeverShowsThePrivateKey() {
        ControlKeyPair pair = ControlKeyPair.generate("prod-2026-12");

        assertThat(pair.signingKeyText()).startsWith("prod-2026-12:MC4CAQAwBQYDK2Vw");
        assertThat(pair.verifyKeyText()).startsWith("prod-2026-12:MCowBQYDK2Vw");
        assertThat(ControlKeyPair.matches(pair.signingKey(), pair.verifyKeys())).isTrue();
        assertThat(ControlKeyPair.matches(pair.signingKey(), ControlKeyPair.generate("prod-2026-12").verifyKeys())).isFalse();
        String secret = pair.signingKeyText().substring(pair.signingKeyText().indexOf(':') + 1);
        assertThat(pair.toString()).doesNotContain(secret).contains(pair.verifyKeyText());
        assertThat(pair.signingKey().toString()).isEqualTo("SigningKey[prod-2026-12]");
    }

    @Test
    void shouldReadKeysFromAFileReferenceAndWriteTheSigningKeyForItsOwnerOnly() throws Exception {
        ControlKeyPair pair = ControlKeyPair.generate("local-1");
        Path file = dir.resolve("control/signing.key");

        pair.writeSigningKey(file);

        assertThat(SigningKey.parse("control.signing.key", "file:" + file).id()).isEqualTo("local-1");
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        }
        assertThatThrownBy(() -> pair.writeSigningKey(file)).as("never overwrites a key")
                .isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
        Path publics = dir.resolve("verify.keys");
        Files.writeString(publics, "# trusted kill-switch keys\n" + pair.verifyKeyText() + "\n" + TestKeys.VERIFY + "\n");
        assertThat(VerifyKeys.parse("control.verify.keys", "file:" + publics).ids()).containsExactly("local-1", "test-vector-1");
    }

    @Test
    void shouldRefuseMalformedKeysWithoutEchoingKeyMaterial() {
        String privateText = TestKeys.SIGNING;
        String secret = privateText.substring(privateText.indexOf(':') + 1);

        assertThatThrownBy(() -> SigningKey.parse("control.signing.key", null)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("control.signing.key").hasMessageContaining("Not set");
        assertThatThrownBy(() -> SigningKey.parse("control.signing.key", "k1:" + secret.substring(0, 20)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a PKCS#8 Ed25519 private key")
                .hasMessageNotContaining(secret.substring(0, 20));
        assertThatThrownBy(() -> SigningKey.parse("control.signing.key", TestKeys.VERIFY))
                .as("a public key where the private one belongs").isInstanceOf(ConfigException.class)
                .hasMessageContaining("test-vector-1");
        assertThatThrownBy(() -> SigningKey.parse("control.signing.key", privateText + "," + privateText))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Exactly one signing key").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> VerifyKeys.parse("control.verify.keys", privateText))
                .as("a private key where public ones belong").isInstanceOf(ConfigException.class)
                .hasMessageContaining("not an X.509 Ed25519 public key").hasMessageNotContaining(secret);
        assertThatThrownBy(() -> VerifyKeys.parse("control.verify.keys", TestKeys.VERIFY + "," + TestKeys.VERIFY))
                .isInstanceOf(ConfigException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> VerifyKeys.parse("control.verify.keys", "no-colon")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("id:<base64");
        assertThatThrownBy(() -> VerifyKeys.parse("control.verify.keys", "file:" + dir.resolve("missing")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Cannot read the key file");
    }

    @Test
    void shouldRefuseAnHmacSecretOfTheEarlierVersion() {
        assertThatThrownBy(() -> SigningKey.parse("control.signing.key", "local-only-insecure:bG9jYWwtb25seS1pbnNlY3VyZS1jb3N0bWV0ZXIta2V5LTAx"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not a PKCS#8 Ed25519 private key");
    }
}
