package dev.costmeter.local;

import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.SigningKey;
import dev.costmeter.schemas.control.VerifyKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The local stack's kill-switch key pair: made with the JDK's Ed25519 generator on the first start,
 * kept under the data directory ({@code keys/control-signing.key}, readable by its owner only, and
 * {@code keys/control-verify.keys}), so commands signed before a restart still verify after it.
 * alerting-stream gets both halves by file reference (never the key text in its environment or a
 * log line); the demo's services and {@code costctl switches list} get the public half only.
 */
public record StackControlKeys(Path signingKeyFile, Path verifyKeysFile) {

    static final String KEY_ID = "local-stack";

    /** The key pair under {@code dataDir/keys}, made when absent. */
    public static StackControlKeys loadOrCreate(Path dataDir) {
        Path dir = dataDir.resolve("keys");
        StackControlKeys keys = new StackControlKeys(dir.resolve("control-signing.key"), dir.resolve("control-verify.keys"));
        try {
            if (!Files.exists(keys.signingKeyFile)) {
                ControlKeyPair pair = ControlKeyPair.generate(KEY_ID);
                Files.deleteIfExists(keys.verifyKeysFile);
                pair.writeSigningKey(keys.signingKeyFile);
                Files.writeString(keys.verifyKeysFile, "# The local stack's kill-switch verify key (public): control.verify.keys\n"
                        + pair.verifyKeyText() + "\n", StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the local stack's kill-switch keys under " + dir, e);
        }
        if (!Files.exists(keys.verifyKeysFile)) {
            throw new IllegalStateException(keys.signingKeyFile + " exists but " + keys.verifyKeysFile + " does not: "
                    + "remove both and start again for a new pair");
        }
        if (!ControlKeyPair.matches(keys.signingKey(), keys.verifyKeys())) {
            throw new IllegalStateException(keys.verifyKeysFile + " does not hold the public half of " + keys.signingKeyFile
                    + ": remove both and start again for a new pair");
        }
        return keys;
    }

    public SigningKey signingKey() {
        return SigningKey.parse("local stack signing key", "file:" + signingKeyFile);
    }

    public VerifyKeys verifyKeys() {
        return VerifyKeys.parse("local stack verify keys", "file:" + verifyKeysFile);
    }

    /** alerting-stream's environment: both halves as file references. */
    Map<String, String> alertingEnvironment() {
        return Map.of("COSTMETER_CONTROL_SIGNING_KEY", "file:" + signingKeyFile.toAbsolutePath(),
                "COSTMETER_CONTROL_VERIFY_KEYS", "file:" + verifyKeysFile.toAbsolutePath());
    }
}
