package dev.costmeter.schemas.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * A new Ed25519 key pair for kill-switch commands, in the configuration text forms: the private
 * half for {@code control.signing.key} (issuers only), the public half for
 * {@code control.verify.keys} (every verifier). {@link #toString()} shows the public half only.
 *
 * @param id            the key id written into every command it signs
 * @param signingKeyText {@code id:<base64 PKCS#8>}: secret
 * @param verifyKeyText  {@code id:<base64 X.509>}: public
 */
public record ControlKeyPair(String id, String signingKeyText, String verifyKeyText) {

    /** Generates a key pair with the JDK's Ed25519 generator (a strong random source). */
    public static ControlKeyPair generate(String id) {
        KeyText.checkId("id", id);
        try {
            KeyPair pair = KeyPairGenerator.getInstance(SigningKey.ALGORITHM).generateKeyPair();
            Base64.Encoder b64 = Base64.getEncoder();
            return new ControlKeyPair(id, id + ":" + b64.encodeToString(pair.getPrivate().getEncoded()),
                    id + ":" + b64.encodeToString(pair.getPublic().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK offers no Ed25519 key pair generator", e);
        }
    }

    public SigningKey signingKey() {
        return SigningKey.parse("generated", signingKeyText);
    }

    public VerifyKeys verifyKeys() {
        return VerifyKeys.parse("generated", verifyKeyText);
    }

    /**
     * Writes the private half to a new file readable by its owner only (where the file system has
     * POSIX permissions), for {@code control.signing.key=file:<path>}.
     *
     * @throws FileAlreadyExistsException rather than overwrite a key
     */
    public void writeSigningKey(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (Files.getFileStore(parent == null ? file : parent).supportsFileAttributeView("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, signingKeyText + "\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The public half and the id only. */
    @Override
    public String toString() {
        return "ControlKeyPair[" + id + ", public " + verifyKeyText + "]";
    }

    /**
     * Whether {@code signing} is the private half of the key {@code verify} holds under the same id:
     * issuers check this at start, so a mismatched pair fails there rather than in every service.
     */
    public static boolean matches(SigningKey signing, VerifyKeys verify) {
        byte[] probe = ("costmeter-control-key-check\n" + signing.id()).getBytes(StandardCharsets.UTF_8);
        return verify.verify(signing.id(), probe, signing.sign(probe));
    }
}
