package dev.costmeter.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The bytes of a body are a contract: clients parse them. */
class JsonBodiesTest {

    record Window(Instant start, Duration length, Optional<String> model) {
    }

    @Test
    void shouldWriteInstantsAndDurationsAsTheirIsoStrings() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("at", Instant.parse("2025-01-31T12:00:00Z"));
        body.put("precise", Instant.parse("2025-01-31T12:00:00.123456789Z"));
        body.put("millis", Instant.parse("2025-01-31T12:00:00.120Z"));
        body.put("timeout", Duration.ofSeconds(90));
        body.put("tiny", Duration.ofNanos(1_500));

        assertThat(JsonBodies.MAPPER.writeValueAsString(body)).isEqualTo("{\"at\":\"2025-01-31T12:00:00Z\","
                + "\"precise\":\"2025-01-31T12:00:00.123456789Z\",\"millis\":\"2025-01-31T12:00:00.120Z\","
                + "\"timeout\":\"PT1M30S\",\"tiny\":\"PT0.0000015S\"}");
    }

    @Test
    void shouldWriteAnEmptyOptionalAsNullAndAPresentOneAsItsValue() throws Exception {
        Window empty = new Window(Instant.parse("2025-01-31T12:00:00Z"), Duration.ofHours(1), Optional.empty());
        Window present = new Window(Instant.parse("2025-01-31T12:00:00Z"), Duration.ofHours(1), Optional.of("gpt-4o"));

        assertThat(JsonBodies.MAPPER.writeValueAsString(empty))
                .isEqualTo("{\"start\":\"2025-01-31T12:00:00Z\",\"length\":\"PT1H\",\"model\":null}");
        assertThat(JsonBodies.MAPPER.writeValueAsString(present))
                .isEqualTo("{\"start\":\"2025-01-31T12:00:00Z\",\"length\":\"PT1H\",\"model\":\"gpt-4o\"}");
    }

    @Test
    void shouldWriteErrorBodiesWithTheirRetryableFlag() throws Exception {
        assertThat(JsonBodies.MAPPER.writeValueAsString(JsonBodies.error(JsonBodies.RETRY_MESSAGE, true))).isEqualTo(
                "{\"error\":\"state not queryable yet (rebalancing or restoring); retry\",\"retryable\":true}");
    }
}
