package dev.costmeter.runtime.auth;

import dev.costmeter.runtime.config.AppConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * TLS of an app's HTTP server and of the client that forwards queries to its peers, from
 * {@value #KEYSTORE_CONFIG} (PKCS12 by default) and its password. Peers are trusted through
 * {@value #TRUSTSTORE_CONFIG}, which defaults to the keystore itself: instances that share one
 * certificate (or whose keystore holds the CA) trust each other with no further setting. The
 * client checks the peer's host name against its certificate, so a peer's
 * {@code application.server} host must be in the certificate's subject alternative names.
 *
 * @param server the server's context
 * @param client the forwarding client's context
 */
public record HttpTls(SSLContext server, SSLContext client) {

    public static final String KEYSTORE_CONFIG = "http.tls.keystore";
    public static final String KEYSTORE_PASSWORD_CONFIG = "http.tls.keystore.password";
    public static final String KEYSTORE_TYPE_CONFIG = "http.tls.keystore.type";
    public static final String TRUSTSTORE_CONFIG = "http.tls.truststore";
    public static final String TRUSTSTORE_PASSWORD_CONFIG = "http.tls.truststore.password";
    public static final String TRUSTSTORE_TYPE_CONFIG = "http.tls.truststore.type";
    static final String DEFAULT_TYPE = "PKCS12";

    /**
     * The TLS settings of {@code config}; empty when {@value #KEYSTORE_CONFIG} is not set (plain HTTP).
     *
     * @throws ConfigException naming the key at fault when a store cannot be read or used
     */
    public static Optional<HttpTls> from(AppConfig config) {
        Optional<String> keystore = config.optional(KEYSTORE_CONFIG);
        if (keystore.isEmpty()) {
            if (config.optional(TRUSTSTORE_CONFIG).isPresent()) {
                throw new ConfigException(TRUSTSTORE_CONFIG, config.string(TRUSTSTORE_CONFIG),
                        "set only with " + KEYSTORE_CONFIG + " (TLS is on when the server has a keystore)");
            }
            return Optional.empty();
        }
        char[] keyPassword = password(config, KEYSTORE_PASSWORD_CONFIG);
        KeyStore keys = load(KEYSTORE_CONFIG, keystore.get(), config.string(KEYSTORE_TYPE_CONFIG, DEFAULT_TYPE), keyPassword);
        KeyStore trust = config.optional(TRUSTSTORE_CONFIG)
                .map(path -> load(TRUSTSTORE_CONFIG, path, config.string(TRUSTSTORE_TYPE_CONFIG, DEFAULT_TYPE),
                        password(config, TRUSTSTORE_PASSWORD_CONFIG)))
                .orElse(keys);
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
            SSLContext server = SSLContext.getInstance("TLS");
            server.init(kmf.getKeyManagers(), null, null);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext client = SSLContext.getInstance("TLS");
            client.init(null, tmf.getTrustManagers(), null);
            return Optional.of(new HttpTls(server, client));
        } catch (GeneralSecurityException e) {
            throw new ConfigException(KEYSTORE_CONFIG, keystore.get(), "cannot use the key store for TLS: " + e.getMessage());
        }
    }

    private static char[] password(AppConfig config, String key) {
        return config.optional(key).map(String::toCharArray).orElse(null);
    }

    private static KeyStore load(String key, String location, String type, char[] password) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore store = KeyStore.getInstance(type);
            store.load(in, password);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            // The message says "keystore password was incorrect" or names the missing file; never the password.
            throw new ConfigException(key, location, "cannot load the " + type + " store: " + e.getMessage());
        }
    }
}
