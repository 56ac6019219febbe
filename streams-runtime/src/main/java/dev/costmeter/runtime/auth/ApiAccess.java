package dev.costmeter.runtime.auth;

import dev.costmeter.runtime.config.AppConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who may call an app's HTTP API. With {@value #TOKENS_CONFIG} set, every API request needs
 * {@code Authorization: Bearer <token>} with a token of that file (see {@link BearerTokens});
 * health stays open, and {@code /metrics} needs a token with the {@code metrics} or
 * {@code operator} scope when {@value #METRICS_CONFIG} is {@code token}.
 *
 * <p>Without tokens the API answers everyone, which is safe only where nobody else can connect:
 * {@link #checkBind} refuses a server bound to anything but a loopback address unless
 * {@value #DISABLED_CONFIG} is {@code true}, which is logged as a WARN at start. Setting both
 * tokens and {@value #DISABLED_CONFIG} is refused as contradictory.
 */
public final class ApiAccess {

    /** {@code file:<path>} of the token hashes; unset = no authentication. */
    public static final String TOKENS_CONFIG = "http.auth.tokens";
    /** {@code true} to serve the API without tokens on a non-loopback address; default false. */
    public static final String DISABLED_CONFIG = "http.auth.disabled";
    /** {@code open} (default) or {@code token}: whether {@code /metrics} needs a token. */
    public static final String METRICS_CONFIG = "http.auth.metrics";

    static final String REALM = "costmeter";
    private static final Logger log = LoggerFactory.getLogger(ApiAccess.class);

    private final BearerTokens tokens;
    private final boolean disabled;
    private final boolean metricsNeedToken;

    private ApiAccess(BearerTokens tokens, boolean disabled, boolean metricsNeedToken) {
        this.tokens = tokens;
        this.disabled = disabled;
        this.metricsNeedToken = metricsNeedToken;
    }

    /**
     * Reads the access settings of {@code config}.
     *
     * @throws ConfigException naming the key at fault
     */
    public static ApiAccess from(AppConfig config) {
        boolean disabled = config.bool(DISABLED_CONFIG, false);
        String metrics = config.string(METRICS_CONFIG, "open").toLowerCase(Locale.ROOT);
        if (!metrics.equals("open") && !metrics.equals("token")) {
            throw new ConfigException(METRICS_CONFIG, metrics, "expected open or token");
        }
        Optional<String> reference = config.optional(TOKENS_CONFIG);
        if (reference.isEmpty()) {
            if (metrics.equals("token")) {
                throw new ConfigException(METRICS_CONFIG, metrics, "needs " + TOKENS_CONFIG);
            }
            return new ApiAccess(null, disabled, false);
        }
        if (disabled) {
            throw new ConfigException(DISABLED_CONFIG, "true", "contradicts " + TOKENS_CONFIG
                    + ": remove one of them");
        }
        String ref = reference.get();
        if (!ref.startsWith("file:") || ref.length() == "file:".length()) {
            throw new ConfigException(TOKENS_CONFIG, ref, "expected file:<path> of a file of token hashes and scopes");
        }
        BearerTokens tokens = BearerTokens.load(TOKENS_CONFIG, Path.of(ref.substring("file:".length())));
        return new ApiAccess(tokens, false, metrics.equals("token"));
    }

    /** No tokens: the API answers everyone, so the server must be bound to a loopback address. */
    public static ApiAccess loopbackOnly() {
        return new ApiAccess(null, false, false);
    }

    /** Every API request needs one of {@code tokens}; {@code /metrics} too when {@code metricsNeedToken}. */
    public static ApiAccess withTokens(BearerTokens tokens, boolean metricsNeedToken) {
        return new ApiAccess(Objects.requireNonNull(tokens, "tokens"), false, metricsNeedToken);
    }

    /** Whether API requests must carry a token. */
    public boolean required() {
        return tokens != null;
    }

    /** Whether {@code /metrics} needs a token (with the {@code metrics} or {@code operator} scope). */
    public boolean metricsNeedToken() {
        return metricsNeedToken;
    }

    /**
     * Refuses to serve an API without tokens where others can reach it; called once the server is
     * bound, with the address it actually bound.
     *
     * @throws ConfigException when no token is configured, authentication is not explicitly
     *         disabled and {@code bound} is not a loopback address
     */
    public void checkBind(InetSocketAddress bound) {
        if (tokens != null) {
            log.info("HTTP API: bearer tokens required ({} configured); /metrics {}", tokens.size(),
                    metricsNeedToken ? "needs a token" : "open");
            return;
        }
        InetAddress address = bound.getAddress();
        if (address != null && address.isLoopbackAddress()) {
            return;
        }
        String where = bound.getHostString() + ":" + bound.getPort();
        if (!disabled) {
            throw new ConfigException("http.host", bound.getHostString(), "the HTTP API is bound to " + where
                    + ", which is not a loopback address, and has no tokens: set " + TOKENS_CONFIG
                    + "=file:<path> (hashes and scopes), bind to 127.0.0.1, or set " + DISABLED_CONFIG
                    + "=true to serve every tenant's data to anyone who can connect");
        }
        log.warn("!!! HTTP API AUTHENTICATION DISABLED ({}=true): anyone who can reach {} reads every"
                + " tenant's spend and tasks. Set {} for production. !!!", DISABLED_CONFIG, where, TOKENS_CONFIG);
    }

    /**
     * The caller a request's {@code Authorization} header stands for: {@link Caller#unrestricted()}
     * when no token is required; empty when a token is required and the header is missing, not a
     * bearer token, or an unknown token.
     */
    public Optional<Caller> authenticate(String authorizationHeader) {
        if (tokens == null) {
            return Optional.of(Caller.unrestricted());
        }
        return bearerToken(authorizationHeader).flatMap(tokens::authenticate);
    }

    /** The {@code WWW-Authenticate} value of a 401 answer to a request with this header (RFC 6750). */
    public static String challenge(String authorizationHeader) {
        return authorizationHeader == null || authorizationHeader.isBlank()
                ? "Bearer realm=\"" + REALM + "\""
                : "Bearer realm=\"" + REALM + "\", error=\"invalid_token\"";
    }

    static Optional<String> bearerToken(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String trimmed = header.trim();
        int space = trimmed.indexOf(' ');
        if (space < 0 || !trimmed.substring(0, space).equalsIgnoreCase("Bearer")) {
            return Optional.empty();
        }
        String token = trimmed.substring(space + 1).trim();
        return token.isEmpty() ? Optional.empty() : Optional.of(token);
    }
}
