package dev.costmeter.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.junit.jupiter.api.Test;

class RegistryClientConfigTest {

    @Test
    void shouldAcceptSeveralUrlsAndStripTrailingSlashes() {
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(RegistryClientConfig.URL,
                "http://a:8081/, https://b.example.com/registry/"));
        assertThat(config.urls()).containsExactly(URI.create("http://a:8081"), URI.create("https://b.example.com/registry"));
        assertThat(config.authorization()).isEmpty();
        assertThat(config.sslContext()).isEmpty();
    }

    @Test
    void shouldBuildABasicAuthHeaderFromUserInfo() {
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://localhost:8081",
                RegistryClientConfig.BASIC_AUTH_SOURCE, "USER_INFO",
                RegistryClientConfig.BASIC_AUTH_USER_INFO, new Password("fred:s3cret")));
        assertThat(config.authorization()).hasValue("Basic ZnJlZDpzM2NyZXQ=");
        assertThat(config.toString()).doesNotContain("s3cret").doesNotContain("ZnJlZDpzM2NyZXQ=");
    }

    @Test
    void shouldTakeCredentialsFromTheUrlAndNotKeepThemInIt() {
        RegistryClientConfig config = RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://fred:s3cret@localhost:8081",
                RegistryClientConfig.BASIC_AUTH_SOURCE, "URL"));
        assertThat(config.urls()).containsExactly(URI.create("http://localhost:8081"));
        assertThat(config.authorization()).hasValue("Basic ZnJlZDpzM2NyZXQ=");
    }

    @Test
    void shouldRequireAUrl() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value null for configuration schema.registry.url: "
                        + "Missing required configuration: the registry's base URL(s)");
    }

    @Test
    void shouldRejectANonHttpUrlWithoutEchoingCredentials() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(RegistryClientConfig.URL, "ftp://u:pw@host")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.url")
                .hasMessageContaining("expected http(s)://host[:port]")
                .hasMessageNotContaining("pw");
    }

    @Test
    void shouldRejectAnUnknownCredentialsSource() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://localhost:8081",
                RegistryClientConfig.BASIC_AUTH_SOURCE, "SASL_INHERIT")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.credentials.source")
                .hasMessageContaining("Valid values are USER_INFO and URL");
    }

    @Test
    void shouldRequireUserInfoWhenTheSourceSaysSo() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "http://localhost:8081",
                RegistryClientConfig.BASIC_AUTH_SOURCE, "user_info")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("basic.auth.user.info");
    }

    @Test
    void shouldFailClearlyWhenTheTrustStoreIsMissing() {
        assertThatThrownBy(() -> RegistryClientConfig.from(Map.of(
                RegistryClientConfig.URL, "https://localhost:8081",
                RegistryClientConfig.SSL_TRUSTSTORE_LOCATION, "/nonexistent/truststore.p12",
                RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD, "changeit")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("schema.registry.ssl.truststore.location")
                .hasMessageNotContaining("changeit");
    }
}
