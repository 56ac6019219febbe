package dev.costmeter.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.kafka.common.config.ConfigException;

/**
 * Connection settings of a registry client, read from the same keys Confluent's clients use, so a
 * producer's existing configuration works unchanged.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><td>{@value #URL}</td><td>one or more comma-separated base URLs, tried in order</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_SOURCE}</td><td>{@code USER_INFO} (from {@value #BASIC_AUTH_USER_INFO}) or {@code URL} (from the URL's user-info)</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_USER_INFO}</td><td>{@code user:password}</td></tr>
 *   <tr><td>{@value #SSL_TRUSTSTORE_LOCATION} etc.</td><td>TLS trust and key stores (JKS or PKCS12)</td></tr>
 *   <tr><td>{@value #REQUEST_TIMEOUT_MS}</td><td>per-request timeout, default 10000</td></tr>
 * </table>
 */
public final class RegistryClientConfig {

    public static final String URL = "schema.registry.url";
    public static final String BASIC_AUTH_SOURCE = "basic.auth.credentials.source";
    public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
    /** The older spelling of {@link #BASIC_AUTH_USER_INFO}, which Confluent's clients still accept. */
    public static final String SR_BASIC_AUTH_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
    public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
    public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";
    public static final String SSL_KEYSTORE_LOCATION = "schema.registry.ssl.keystore.location";
    public static final String SSL_KEYSTORE_PASSWORD = "schema.registry.ssl.keystore.password";
    public static final String SSL_KEYSTORE_TYPE = "schema.registry.ssl.keystore.type";
    public static final String SSL_KEY_PASSWORD = "schema.registry.ssl.key.password";
    public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

    private final List<URI> urls;
    private final Optional<String> authorization;
    private final Optional<SSLContext> sslContext;
    private final Duration requestTimeout;

    private RegistryClientConfig(List<URI> urls, Optional<String> authorization, Optional<SSLContext> sslContext,
            Duration requestTimeout) {
        this.urls = List.copyOf(urls);
        this.authorization = authorization;
        this.sslContext = sslContext;
        this.requestTimeout = requestTimeout;
    }

    /** Settings for a plain-HTTP registry at {@code url} with no authentication. */
    public static RegistryClientConfig forUrl(String url) {
        return from(Map.of(URL, url));
    }

    /**
     * Reads the settings from serde or client configuration.
     *
     * @throws ConfigException naming the key at fault when a value is missing or invalid
     */
    public static RegistryClientConfig from(Map<String, ?> configs) {
        String rawUrls = string(configs, URL)
                .orElseThrow(() -> new ConfigException(URL, null, "Missing required configuration: the registry's base URL(s)"));
        List<URI> urls = new ArrayList<>();
        Optional<String> urlUserInfo = Optional.empty();
        for (String raw : rawUrls.split(",")) {
            String trimmed = raw.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            URI uri = parseUrl(trimmed);
            if (uri.getUserInfo() != null) {
                urlUserInfo = Optional.of(uri.getUserInfo());
            }
            urls.add(stripUserInfo(uri));
        }
        if (urls.isEmpty()) {
            throw new ConfigException(URL, rawUrls, "At least one URL is required");
        }
        String source = string(configs, BASIC_AUTH_SOURCE).orElse("").toUpperCase(Locale.ROOT);
        Optional<String> userInfo = switch (source) {
            case "" -> Optional.empty();
            case "USER_INFO" -> Optional.of(string(configs, BASIC_AUTH_USER_INFO).or(() -> string(configs, SR_BASIC_AUTH_USER_INFO)).orElseThrow(() ->
                    new ConfigException(BASIC_AUTH_USER_INFO, null, "Required when " + BASIC_AUTH_SOURCE + "=USER_INFO")));
            case "URL" -> Optional.of(urlUserInfo.orElseThrow(() ->
                    new ConfigException(URL, "[redacted]", "No user-info in the URL although " + BASIC_AUTH_SOURCE + "=URL")));
            default -> throw new ConfigException(BASIC_AUTH_SOURCE, source, "Valid values are USER_INFO and URL");
        };
        Optional<String> authorization = userInfo.map(info -> "Basic "
                + Base64.getEncoder().encodeToString(info.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        long timeoutMs = string(configs, REQUEST_TIMEOUT_MS).map(v -> parseLong(REQUEST_TIMEOUT_MS, v)).orElse(10_000L);
        return new RegistryClientConfig(urls, authorization, sslContext(configs), Duration.ofMillis(timeoutMs));
    }

    /** The base URLs, without user-info, in the order they are tried. */
    public List<URI> urls() {
        return urls;
    }

    /** The value of the {@code Authorization} header, if basic auth is configured. */
    public Optional<String> authorization() {
        return authorization;
    }

    /** The TLS context, if trust or key stores are configured. */
    public Optional<SSLContext> sslContext() {
        return sslContext;
    }

    public Duration requestTimeout() {
        return requestTimeout;
    }

    @Override
    public String toString() {
        // Never print credentials.
        return "RegistryClientConfig{urls=" + urls + ", basicAuth=" + authorization.isPresent()
                + ", tls=" + sslContext.isPresent() + ", requestTimeout=" + requestTimeout + "}";
    }

    private static Optional<SSLContext> sslContext(Map<String, ?> configs) {
        Optional<String> trustStore = string(configs, SSL_TRUSTSTORE_LOCATION);
        Optional<String> keyStore = string(configs, SSL_KEYSTORE_LOCATION);
        if (trustStore.isEmpty() && keyStore.isEmpty()) {
            return Optional.empty();
        }
        try {
            TrustManagerFactory tmf = null;
            if (trustStore.isPresent()) {
                KeyStore ks = load(SSL_TRUSTSTORE_LOCATION, trustStore.get(),
                        string(configs, SSL_TRUSTSTORE_TYPE).orElse("PKCS12"),
                        string(configs, SSL_TRUSTSTORE_PASSWORD).orElse(null));
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ks);
            }
            KeyManagerFactory kmf = null;
            if (keyStore.isPresent()) {
                String storePassword = string(configs, SSL_KEYSTORE_PASSWORD).orElse(null);
                KeyStore ks = load(SSL_KEYSTORE_LOCATION, keyStore.get(),
                        string(configs, SSL_KEYSTORE_TYPE).orElse("PKCS12"), storePassword);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                String keyPassword = string(configs, SSL_KEY_PASSWORD).orElse(storePassword);
                kmf.init(ks, keyPassword == null ? null : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new ConfigException("Cannot build the registry TLS context: " + e.getMessage());
        }
    }

    private static KeyStore load(String key, String location, String type, String password) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore ks = KeyStore.getInstance(type);
            ks.load(in, password == null ? null : password.toCharArray());
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw new ConfigException(key, location, "Cannot load " + type + " store: " + e.getMessage());
        }
    }

    private static URI parseUrl(String raw) {
        try {
            URI uri = URI.create(raw);
            if (uri.getScheme() == null || uri.getHost() == null
                    || !Arrays.asList("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("expected http(s)://host[:port]");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(URL, raw.replaceAll("//[^@/]*@", "//[redacted]@"), "Not a registry URL: " + e.getMessage());
        }
    }

    private static URI stripUserInfo(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
        return URI.create(uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort()) + path);
    }

    private static long parseLong(String key, String value) {
        try {
            long parsed = Long.parseLong(value.trim());
            if (parsed <= 0) {
                throw new ConfigException(key, value, "Must be positive");
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, value, "Not a whole number of milliseconds");
        }
    }

    private static Optional<String> string(Map<String, ?> configs, String key) {
        Object value = configs.get(key);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof org.apache.kafka.common.config.types.Password password) {
            return Optional.of(password.value());
        }
        String s = value.toString();
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }
}
