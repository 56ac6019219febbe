package dev.costmeter.runtime.auth;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Self-signed PKCS12 keystores for localhost, made with the JDK's keytool (no test dependency). */
public final class TestKeystores {

    public static final String PASSWORD = "test-keystore-pass";

    private TestKeystores() {
    }

    /** A keystore holding one key pair whose certificate names localhost and 127.0.0.1. */
    public static Path localhost(Path dir) throws IOException, InterruptedException {
        Path store = dir.resolve("http-" + System.nanoTime() + ".p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process process = new ProcessBuilder(List.of(keytool.toString(), "-genkeypair", "-alias", "http",
                "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD))
                .redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed: " + new String(output));
        }
        return store;
    }
}
