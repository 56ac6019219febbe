package dev.costmeter.runtime.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppConfigTest {

    @TempDir
    Path dir;

    private Path file(String content) throws IOException {
        Path path = dir.resolve("app.properties");
        Files.writeString(path, content, StandardCharsets.UTF_8);
        return path;
    }

    private static AppConfig of(Map<String, String> values) {
        return AppConfig.of("test-app", values);
    }

    @Test
    void shouldApplyDefaultsThenFileThenEnvironment() throws IOException {
        Path props = file("""
                a=file
                b=file
                c=file
                """);
        AppConfig config = AppConfig.load("test-app",
                Map.of("a", "default", "b", "default", "d", "default"),
                Optional.of(props),
                Map.of("COSTMETER_A", "env"));

        assertThat(config.asMap()).containsExactlyInAnyOrderEntriesOf(
                Map.of("a", "env", "b", "file", "c", "file", "d", "default"));
        assertThat(config.appName()).isEqualTo("test-app");
    }

    @Test
    void shouldMapDotsAndDashesOfKnownKeysToEnvironmentNames() {
        AppConfig config = AppConfig.load("test-app",
                Map.of("topic.task-outcomes", "llm.task-outcomes.v1", "http.port", "8080"),
                Optional.empty(),
                Map.of("COSTMETER_TOPIC_TASK_OUTCOMES", "prod.outcomes", "COSTMETER_HTTP_PORT", "9000"));

        assertThat(config.string("topic.task-outcomes")).isEqualTo("prod.outcomes");
        assertThat(config.integer("http.port")).isEqualTo(9000);
        assertThat(config.asMap()).doesNotContainKey("topic.task.outcomes");
    }

    @Test
    void shouldSetDottedKeyFromEnvironmentVariableMatchingNoKnownKey() {
        AppConfig config = AppConfig.load("test-app", Map.of(), Optional.empty(),
                Map.of("COSTMETER_NUM_STANDBY_REPLICAS", "1", "PATH", "/usr/bin", "COSTMETER_", "x"));

        assertThat(config.asMap()).containsExactly(Map.entry("num.standby.replicas", "1"));
    }

    @Test
    void shouldHonourAliasesBelowTheirCostmeterSpelling() {
        AppConfig aliased = AppConfig.load("test-app", Map.of("bootstrap.servers", "localhost:9092"),
                Optional.empty(),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "SCHEMA_REGISTRY_URL", "http://registry:8081"));
        AppConfig both = AppConfig.load("test-app", Map.of(), Optional.empty(),
                Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "COSTMETER_BOOTSTRAP_SERVERS", "explicit:9092"));

        assertThat(aliased.string("bootstrap.servers")).isEqualTo("kafka:9092");
        assertThat(aliased.string("schema.registry.url")).isEqualTo("http://registry:8081");
        assertThat(both.string("bootstrap.servers")).isEqualTo("explicit:9092");
    }

    @Test
    void shouldLetBlankEnvironmentValueUnsetAKeyAndTrimValues() throws IOException {
        AppConfig config = AppConfig.load("test-app", Map.of("b", "  padded  "),
                Optional.of(file("application.server=localhost:8080\n")),
                Map.of("COSTMETER_APPLICATION_SERVER", ""));

        assertThat(config.optional("application.server")).isEmpty();
        assertThat(config.string("b")).isEqualTo("padded");
    }

    @Test
    void shouldReadThePropertiesFileAsUtf8() throws IOException {
        AppConfig config = AppConfig.load("test-app", Map.of(), Optional.of(file("label=café\n")), Map.of());

        assertThat(config.string("label")).isEqualTo("café");
    }

    @Test
    void shouldRejectAMissingPropertiesFile() {
        Path missing = dir.resolve("nope.properties");

        assertThatThrownBy(() -> AppConfig.load("test-app", Map.of(), Optional.of(missing), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Properties file " + missing + " does not exist");
    }

    @Test
    void shouldNameKeyAndEnvironmentVariableWhenRequiredKeyIsMissing() {
        assertThatThrownBy(() -> of(Map.of()).string("bootstrap.servers"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Missing required configuration \"bootstrap.servers\" (set it in the properties "
                        + "file or as COSTMETER_BOOTSTRAP_SERVERS)");
    }

    @Test
    void shouldParseNumbersAndBooleans() {
        AppConfig config = of(Map.of("i", "42", "l", "9000000000", "t", "TRUE", "f", "false"));

        assertThat(config.integer("i")).isEqualTo(42);
        assertThat(config.integer("absent", 7)).isEqualTo(7);
        assertThat(config.longValue("l")).isEqualTo(9_000_000_000L);
        assertThat(config.longValue("absent", 3L)).isEqualTo(3L);
        assertThat(config.bool("t")).isTrue();
        assertThat(config.bool("f")).isFalse();
        assertThat(config.bool("absent", true)).isTrue();
        assertThat(config.string("absent", "fallback")).isEqualTo("fallback");
    }

    @Test
    void shouldNameKeyAndValueWhenANumberOrBooleanIsMalformed() {
        AppConfig config = of(Map.of("http.port", "80a", "big", "9000000000", "l", "1.5", "flag", "yes"));

        assertThatThrownBy(() -> config.integer("http.port"))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 80a for configuration http.port: not an integer");
        assertThatThrownBy(() -> config.integer("big", 1))
                .hasMessage("Invalid value 9000000000 for configuration big: not an integer");
        assertThatThrownBy(() -> config.longValue("l"))
                .hasMessage("Invalid value 1.5 for configuration l: not a long integer");
        assertThatThrownBy(() -> config.bool("flag"))
                .hasMessage("Invalid value yes for configuration flag: expected true or false");
    }

    @Test
    void shouldRedactSecretValuesInParsingErrors() {
        AppConfig config = of(Map.of("ssl.key.password", "hunter2"));

        assertThatThrownBy(() -> config.integer("ssl.key.password"))
                .hasMessage("Invalid value [redacted] for configuration ssl.key.password: not an integer");
    }

    @Test
    void shouldParseEveryDurationSpelling() {
        AppConfig config = of(Map.of(
                "iso", "PT5M", "isoDays", "P7D", "ms", "500ms", "s", "30s", "m", "5m", "h", "24h",
                "d", "7d", "plain", "1500", "upper", "30S"));

        assertThat(config.duration("iso", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.duration("isoDays", Duration.ZERO)).isEqualTo(Duration.ofDays(7));
        assertThat(config.duration("ms", Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
        assertThat(config.duration("s", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.duration("m", Duration.ZERO)).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.duration("h", Duration.ZERO)).isEqualTo(Duration.ofHours(24));
        assertThat(config.duration("d", Duration.ZERO)).isEqualTo(Duration.ofDays(7));
        assertThat(config.duration("plain", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.duration("upper", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.duration("absent", Duration.ofSeconds(9))).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void shouldRejectMalformedAndNegativeDurations() {
        AppConfig config = of(Map.of("bad", "5 minutes", "unit", "5w", "iso", "PT5X", "neg", "PT-5S"));
        String expected = "expected ISO-8601 (PT5M), a number with unit ms, s, m, h or d (30s), or milliseconds";

        assertThatThrownBy(() -> config.duration("bad", Duration.ZERO))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value 5 minutes for configuration bad: " + expected);
        assertThatThrownBy(() -> config.duration("unit", Duration.ZERO))
                .hasMessage("Invalid value 5w for configuration unit: " + expected);
        assertThatThrownBy(() -> config.duration("iso", Duration.ZERO))
                .hasMessage("Invalid value PT5X for configuration iso: " + expected);
        assertThatThrownBy(() -> config.duration("neg", Duration.ZERO))
                .hasMessage("Invalid value PT-5S for configuration neg: must not be negative");
    }

    @Test
    void shouldStripThePrefixInWithPrefix() {
        AppConfig config = of(Map.of("topic.usage", "u", "topic.ledger", "l", "topics", "x", "topic.", "y"));

        assertThat(config.withPrefix("topic.")).containsExactlyInAnyOrderEntriesOf(Map.of("usage", "u", "ledger", "l"));
    }

    @Test
    void shouldRedactSecretsInToString() {
        AppConfig config = of(Map.of(
                "bootstrap.servers", "kafka:9092",
                "ssl.truststore.password", "p1",
                "sasl.jaas.config", "org.apache...password=\"p2\";",
                "api.token", "t",
                "client.secret", "s",
                "basic.auth.user.info", "user:p3"));

        assertThat(config.toString())
                .contains("bootstrap.servers=kafka:9092")
                .contains("ssl.truststore.password=[redacted]")
                .contains("sasl.jaas.config=[redacted]")
                .contains("api.token=[redacted]")
                .contains("client.secret=[redacted]")
                .contains("basic.auth.user.info=[redacted]")
                .doesNotContain("p1", "p2", "user:p3");
    }

    @Test
    void shouldRedactCredentialsInsideUrlsInToString() {
        AppConfig config = AppConfig.of("app", Map.of(
                "schema.registry.url", "https://metering:s3cret@registry-1:8081,http://other:8081",
                "bootstrap.servers", "kafka:9092"));

        assertThat(config.toString())
                .contains("schema.registry.url=https://[redacted]@registry-1:8081,http://other:8081")
                .contains("bootstrap.servers=kafka:9092")
                .doesNotContain("s3cret").doesNotContain("metering:");
    }

    @Test
    void shouldBeImmutable() {
        AppConfig config = of(Map.of("a", "1"));
        AppConfig changed = config.with(Map.of("a", "2", "b", "3"));

        assertThatThrownBy(() -> config.asMap().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(config.asMap()).containsExactly(Map.entry("a", "1"));
        assertThat(changed.asMap()).containsExactly(Map.entry("a", "2"), Map.entry("b", "3"));
    }
}
