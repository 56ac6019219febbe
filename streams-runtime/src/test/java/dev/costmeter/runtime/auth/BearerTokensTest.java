package dev.costmeter.runtime.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BearerTokensTest {

    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, content);
        return file;
    }

    @Test
    void shouldKnowATokenByItsHashWithTheScopesOfItsLine() throws Exception {
        BearerTokens tokens = BearerTokens.load("k", file("# operators\n"
                + BearerTokens.hash("op-secret") + "  operator\n"
                + "sha256:" + BearerTokens.hash("acme-secret") + "  tenant:acme tenant:acme-eu  # two tenants\n"
                + BearerTokens.hash("prom") + " metrics\n"));

        Caller operator = tokens.authenticate("op-secret").orElseThrow();
        Caller acme = tokens.authenticate("acme-secret").orElseThrow();
        Caller prometheus = tokens.authenticate("prom").orElseThrow();

        assertThat(operator.isOperator()).isTrue();
        assertThat(operator.mayRead("anyone")).isTrue();
        assertThat(acme.isOperator()).isFalse();
        assertThat(acme.tenants()).isEqualTo(Set.of("acme", "acme-eu"));
        assertThat(acme.mayRead("globex")).isFalse();
        assertThat(acme.mayReadMetrics()).isFalse();
        assertThat(prometheus.mayReadMetrics()).isTrue();
        assertThat(prometheus.tenants()).isEmpty();
        assertThat(tokens.authenticate("unknown")).isEmpty();
        assertThat(tokens.authenticate(BearerTokens.hash("op-secret"))).as("the hash itself is no token").isEmpty();
    }

    @Test
    void shouldRefuseALineThatHoldsAPlainTokenWithoutEchoingIt() throws Exception {
        Path file = file(BearerTokens.hash("a") + " operator\nmy-plain-secret-token operator\n");

        assertThatThrownBy(() -> BearerTokens.load("http.auth.tokens", file))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 2")
                .hasMessageContaining("SHA-256")
                .hasMessageNotContaining("my-plain-secret-token");
    }

    @Test
    void shouldRefuseUnknownScopesDuplicatesAndAnEmptyFile() throws Exception {
        Path unknownScope = file(BearerTokens.hash("a") + " admin\n");
        assertThatThrownBy(() -> BearerTokens.load("k", unknownScope)).hasMessageContaining("unknown scope 'admin'");

        Path duplicate = file(BearerTokens.hash("a") + " operator\n" + BearerTokens.hash("a") + " tenant:x\n");
        assertThatThrownBy(() -> BearerTokens.load("k", duplicate)).hasMessageContaining("twice");

        Path noScope = file(BearerTokens.hash("a") + "\n");
        assertThatThrownBy(() -> BearerTokens.load("k", noScope)).hasMessageContaining("line 1");

        Path empty = file("# nothing yet\n\n");
        assertThatThrownBy(() -> BearerTokens.load("k", empty)).hasMessageContaining("no token");

        assertThatThrownBy(() -> BearerTokens.load("k", dir.resolve("missing"))).hasMessageContaining("cannot read");
    }
}
