package dev.costmeter.gateway.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.UsageEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UsageRequestsTest {

    private static final String EVENT = """
            {"event_id":"e-1","event_time":1764236400000,"tenant_id":"acme","task_id":"t-1","task_class":"support",
             "route":"chat","provider":"openai","model":"gpt-4o","input_tokens":100,"output_tokens":20,
             "prompt_version":"v3","labels":{"team":"care"}}
            """;

    @Test
    void shouldReadPlainJsonWithoutUnionWrappingAndApplySchemaDefaults() {
        List<UsageSink.Item> items = parse(EVENT, "application/json");

        UsageEvent event = items.get(0).event();
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1_764_236_400_000L));
        assertThat(event.getPromptVersion()).isEqualTo("v3");
        assertThat(event.getCacheReadTokens()).isZero();
        assertThat(event.getAttempt()).isEqualTo(1);
        assertThat(event.getStatus()).isEqualTo(CallStatus.OK);
        assertThat(event.getLabels()).containsEntry("team", "care");
    }

    @Test
    void shouldParseEachEventOfABatchOnItsOwnAndSayWhatIsWrongWithTheBadOne() {
        String bad = EVENT.replace("\"input_tokens\":100", "\"input_tokens\":\"many\"").replace("e-1", "e-2");
        String unknown = EVENT.replace("\"labels\"", "\"colour\":\"red\",\"labels\"").replace("e-1", "e-3");
        String missing = EVENT.replace("\"model\":\"gpt-4o\",", "").replace("e-1", "e-4");

        List<UsageSink.Item> items = parse("[" + EVENT + "," + bad + "," + unknown + "," + missing + "]", "application/json");

        assertThat(items.get(0).event()).isNotNull();
        assertThat(items.get(1).parseError()).contains("input_tokens must be a whole number");
        assertThat(items.get(2).parseError()).contains("unknown field 'colour'");
        assertThat(items.get(3).parseError()).contains("model is required");
    }

    @Test
    void shouldTakeACloudEventsIdAndTimeAsTheEventsIdAndTime() {
        String data = EVENT.replace("\"event_id\":\"e-1\",\"event_time\":1764236400000,", "");
        String cloudEvent = "{\"specversion\":\"1.0\",\"id\":\"ce-9\",\"source\":\"//svc/chat\",\"type\":\"dev.costmeter.usage.v1\","
                + "\"time\":\"2026-11-27T10:00:00Z\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}";

        UsageEvent single = parse(cloudEvent, "application/cloudevents+json").get(0).event();
        assertThat(single.getEventId()).isEqualTo("ce-9");
        assertThat(single.getEventTime()).isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));

        List<UsageSink.Item> batch = parse("[" + cloudEvent + "," + cloudEvent.replace("dev.costmeter.usage.v1", "other.type") + "]",
                "application/cloudevents-batch+json");
        assertThat(batch.get(0).event().getEventId()).isEqualTo("ce-9");
        assertThat(batch.get(1).parseError()).contains("type must be \"dev.costmeter.usage.v1\"");
    }

    @Test
    void shouldRefuseAWholeBodyThatIsNotJsonOrOfAnotherContentType() {
        assertThatThrownBy(() -> parse("{", "application/json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> parse(EVENT, "text/csv")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unsupported content type");
        assertThatThrownBy(() -> parse("[]", "application/json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no event");
    }

    private static List<UsageSink.Item> parse(String body, String type) {
        return UsageRequests.parse(body.getBytes(StandardCharsets.UTF_8), type);
    }
}
