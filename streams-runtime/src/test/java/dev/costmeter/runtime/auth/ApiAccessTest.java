package dev.costmeter.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.runtime.config.AppConfig;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiAccessTest {

    private static final InetSocketAddress ANY = new InetSocketAddress("0.0.0.0", 8090);
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 8090);

    @TempDir
    Path dir;

    private static ApiAccess access(Map<String, String> values) {
        return ApiAccess.from(AppConfig.of("test", values));
    }

    private String tokensFile() throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, BearerTokens.hash("op") + " operator\n" + BearerTokens.hash("acme") + " tenant:acme\n");
        return "file:" + file;
    }

    @Test
    void shouldServeWithoutTokensOnlyOnALoopbackAddress() {
        ApiAccess none = access(Map.of());

        assertThatCode(() -> none.checkBind(LOOPBACK)).doesNotThrowAnyException();
        assertThatThrownBy(() -> none.checkBind(ANY))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a loopback address")
                .hasMessageContaining(ApiAccess.TOKENS_CONFIG)
                .hasMessageContaining(ApiAccess.DISABLED_CONFIG);
        assertThat(none.authenticate(null)).contains(Caller.unrestricted());
    }

    @Test
    void shouldServeWithoutTokensAnywhereOnlyWhenExplicitlyDisabled() {
        ApiAccess disabled = access(Map.of(ApiAccess.DISABLED_CONFIG, "true"));

        assertThatCode(() -> disabled.checkBind(ANY)).doesNotThrowAnyException();
        assertThat(disabled.required()).isFalse();
    }

    @Test
    void shouldRequireAKnownBearerTokenWhenTokensAreConfigured() throws Exception {
        ApiAccess tokens = access(Map.of(ApiAccess.TOKENS_CONFIG, tokensFile()));

        assertThatCode(() -> tokens.checkBind(ANY)).doesNotThrowAnyException();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("Basic b3A6b3A=")).isEmpty();
        assertThat(tokens.authenticate("Bearer nope")).isEmpty();
        assertThat(tokens.authenticate("Bearer op")).hasValueSatisfying(c -> assertThat(c.isOperator()).isTrue());
        assertThat(tokens.authenticate("bearer  acme ")).hasValueSatisfying(c -> assertThat(c.tenants()).containsExactly("acme"));
        assertThat(ApiAccess.challenge(null)).isEqualTo("Bearer realm=\"costmeter\"");
        assertThat(ApiAccess.challenge("Bearer nope")).contains("error=\"invalid_token\"");
    }

    @Test
    void shouldRefuseContradictoryOrUnusableSettingsAtStart() throws Exception {
        String tokens = tokensFile();
        assertThatThrownBy(() -> access(Map.of(ApiAccess.TOKENS_CONFIG, tokens, ApiAccess.DISABLED_CONFIG, "true")))
                .hasMessageContaining("contradicts");
        assertThatThrownBy(() -> access(Map.of(ApiAccess.TOKENS_CONFIG, dir.resolve("tokens").toString())))
                .hasMessageContaining("file:<path>");
        assertThatThrownBy(() -> access(Map.of(ApiAccess.METRICS_CONFIG, "token")))
                .hasMessageContaining("needs " + ApiAccess.TOKENS_CONFIG);
        assertThatThrownBy(() -> access(Map.of(ApiAccess.TOKENS_CONFIG, tokens, ApiAccess.METRICS_CONFIG, "maybe")))
                .hasMessageContaining("open or token");
    }
}
