package dev.costmeter.connect.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class AlertSinkConfigTest {

    private static Map<String, String> valid() {
        Map<String, String> props = new HashMap<>();
        props.put("topics", "llm.alerts.v1");
        props.put("endpoints", "pd,slack");
        props.put("endpoint.pd.url", "https://events.pagerduty.com/v2/enqueue");
        props.put("endpoint.pd.format", "pagerduty");
        props.put("endpoint.pd.routing.key", "R0UT1NGKEY");
        props.put("endpoint.slack.url", "https://hooks.slack.com/services/T000/B000/SECRETPART");
        props.put("endpoint.slack.format", "slack");
        props.put("schema.registry.url", "http://registry:8081");
        return props;
    }

    private static List<String> errorsOf(Map<String, String> props, String key) {
        return new AlertSinkConnector().validate(props).configValues().stream().filter(v -> v.name().equals(key))
                .findFirst().map(ConfigValue::errorMessages).orElseThrow(() -> new AssertionError("no value for " + key));
    }

    private static long errorCount(Map<String, String> props) {
        return new AlertSinkConnector().validate(props).configValues().stream()
                .mapToLong(v -> v.errorMessages().size()).sum();
    }

    @Test
    void shouldParseEndpointsWithTheirDefaults() {
        assertThat(errorCount(valid())).isZero();
        AlertSinkConfig config = new AlertSinkConfig(valid());
        assertThat(config.endpoints()).extracting(Endpoint::name).containsExactly("pd", "slack");
        Endpoint slack = config.endpoints().get(1);
        assertThat(slack.format()).isEqualTo(AlertFormat.SLACK);
        assertThat(slack.ratePerMinute()).isEqualTo(60);
        assertThat(slack.burst()).isEqualTo(10);
        assertThat(config.maxRetries()).isEqualTo(5);
    }

    @Test
    void shouldNeverShowAWebhookPathOrRoutingKeyWhenPrinted() {
        AlertSinkConfig config = new AlertSinkConfig(valid());
        assertThat(config.endpoints().toString())
                .isEqualTo("[pd (pagerduty, https://events.pagerduty.com), slack (slack, https://hooks.slack.com)]")
                .doesNotContain("SECRETPART", "R0UT1NGKEY");
        assertThat(config.values().get("endpoint.slack.url")).hasToString("[hidden]");
        assertThat(config.values().get("endpoint.pd.routing.key")).hasToString("[hidden]");
    }

    @Test
    void shouldRequireARoutingKeyForAPagerDutyEndpoint() {
        Map<String, String> props = valid();
        props.remove("endpoint.pd.routing.key");
        assertThat(errorsOf(props, "endpoint.pd.routing.key")).containsExactly("Required when endpoint.pd.format=pagerduty");
        assertThatThrownBy(() -> new AlertSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessage("endpoint.pd.routing.key: Required when endpoint.pd.format=pagerduty");
    }

    @Test
    void shouldRefuseARoutingKeyOnAnEndpointOfAnotherFormat() {
        Map<String, String> props = valid();
        props.put("endpoint.slack.routing.key", "stray");
        assertThat(errorsOf(props, "endpoint.slack.routing.key")).containsExactly(
                "Only used when endpoint.slack.format=pagerduty; remove it so no secret sits in an unused key");
    }

    @Test
    void shouldRequireTheUrlOfEachNamedEndpoint() {
        Map<String, String> props = valid();
        props.remove("endpoint.slack.url");
        assertThat(errorsOf(props, "endpoint.slack.url"))
                .containsExactly("Missing required configuration \"endpoint.slack.url\" which has no default value.");
    }

    @Test
    void shouldRejectAUrlThatIsNotHttpWithoutEchoingIt() {
        Map<String, String> props = valid();
        props.put("endpoint.slack.url", "ftp://files/SECRETPART");
        assertThat(errorsOf(props, "endpoint.slack.url")).containsExactly(
                "Invalid value [hidden] for configuration endpoint.slack.url: Must be an absolute http:// or https:// URL");
    }

    @Test
    void shouldRejectAnUnknownFormat() {
        Map<String, String> props = valid();
        props.put("endpoint.slack.format", "teams");
        assertThat(errorsOf(props, "endpoint.slack.format")).containsExactly(
                "Invalid value teams for configuration endpoint.slack.format: Must be one of json, slack, pagerduty");
    }

    @Test
    void shouldRejectAMalformedEndpointName() {
        Map<String, String> props = valid();
        props.put("endpoints", "pd,Bad Name");
        assertThat(errorsOf(props, "endpoints")).containsExactly(
                "Invalid value Bad Name for configuration endpoints: An endpoint name must match [a-z0-9][a-z0-9_-]*");
    }

    @Test
    void shouldRejectAnEndpointNamedTwice() {
        Map<String, String> props = valid();
        props.put("endpoints", "pd,slack,pd");
        assertThat(errorsOf(props, "endpoints"))
                .containsExactly("Invalid value pd for configuration endpoints: Endpoint named twice");
    }

    @Test
    void shouldRequireAtLeastOneEndpoint() {
        Map<String, String> props = valid();
        props.put("endpoints", "");
        assertThat(errorsOf(props, "endpoints"))
                .containsExactly("Invalid value [] for configuration endpoints: Name at least one endpoint");
    }

    @Test
    void shouldRefuseAConsumerOverrideThatReadsUncommittedAlerts() {
        Map<String, String> props = valid();
        props.put("consumer.override.isolation.level", "read_uncommitted");
        assertThat(errorsOf(props, "consumer.override.isolation.level")).containsExactly("Must be read_committed: "
                + "costmeter's topics are written in transactions, and a sink reading with isolation level "
                + "read_uncommitted would also write the records of aborted transactions");
        assertThat(errorCount(props)).isEqualTo(1);
        assertThatThrownBy(() -> new AlertSinkConfig(props)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Invalid value read_uncommitted for configuration consumer.override.isolation.level");
    }

    @Test
    void shouldAcceptAConsumerOverrideThatReadsCommittedAlerts() {
        Map<String, String> props = valid();
        props.put("consumer.override.isolation.level", "read_committed");
        assertThat(errorCount(props)).isZero();
        assertThat(new AlertSinkConfig(props).endpoints()).hasSize(2);
    }

    @Test
    void shouldBoundTheRateLimit() {
        Map<String, String> props = valid();
        props.put("endpoint.pd.rate.limit.per.minute", "0");
        assertThat(errorsOf(props, "endpoint.pd.rate.limit.per.minute")).containsExactly(
                "Invalid value 0 for configuration endpoint.pd.rate.limit.per.minute: Value must be at least 1");
    }

    @Test
    void shouldDocumentValidValuesInTheValidators() {
        assertThat(AlertSinkConfig.configDef(List.of("pd")).configKeys().get("endpoint.pd.url").validator)
                .hasToString("an absolute http:// or https:// URL (kept secret: a Slack webhook URL is a credential)");
        assertThat(AlertSinkConfig.BASE_CONFIG_DEF.configKeys().get("endpoints").validator)
                .hasToString("one or more distinct names matching [a-z0-9][a-z0-9_-]*");
        assertThat(AlertSinkConfig.BASE_CONFIG_DEF.groups()).containsExactly("Endpoints", "Delivery", "Schema registry");
    }
}
