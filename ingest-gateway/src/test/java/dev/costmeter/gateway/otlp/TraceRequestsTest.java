package dev.costmeter.gateway.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The OTLP JSON example of the OTLP specification's "JSON Protobuf Encoding" (ids in hex), and protobuf. */
class TraceRequestsTest {

    private static final String OTLP_JSON = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},
              "scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0"},
                "spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                  "parentSpanId":"eee19b7ec3c1b173","name":"chat gpt-4o","kind":3,
                  "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
                  "attributes":[{"key":"gen_ai.usage.input_tokens","value":{"intValue":"120"}}],
                  "links":[{"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b175"}],
                  "someFieldOfALaterVersion":true}]}]}]}
            """;

    @Test
    void shouldDecodeOtlpJsonWithHexIdsAndIgnoreUnknownFields() {
        ExportTraceServiceRequest request = TraceRequests.decode(OTLP_JSON.getBytes(StandardCharsets.UTF_8),
                TraceRequests.Encoding.JSON);

        Span span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
        assertThat(HexFormat.of().formatHex(span.getTraceId().toByteArray())).isEqualTo("5b8efff798038103d269b633813fc60c");
        assertThat(HexFormat.of().formatHex(span.getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b174");
        assertThat(HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b173");
        assertThat(HexFormat.of().formatHex(span.getLinks(0).getSpanId().toByteArray())).isEqualTo("eee19b7ec3c1b175");
        assertThat(span.getAttributes(0).getValue().getIntValue()).isEqualTo(120);
        assertThat(span.getEndTimeUnixNano()).isEqualTo(1_544_712_661_000_000_000L);
    }

    @Test
    void shouldDecodeProtobufToTheSameMessage() {
        ExportTraceServiceRequest fromJson = TraceRequests.decode(OTLP_JSON.getBytes(StandardCharsets.UTF_8),
                TraceRequests.Encoding.JSON);

        assertThat(TraceRequests.decode(fromJson.toByteArray(), TraceRequests.Encoding.PROTOBUF)).isEqualTo(fromJson);
    }

    @Test
    void shouldRefuseBase64IdsBadJsonBadProtobufAndOtherContentTypesWithAReason() {
        String base64Ids = OTLP_JSON.replace("5b8efff798038103d269b633813fc60c", "W47/95gDgQPSabYzgT/GDA==");
        assertThatThrownBy(() -> TraceRequests.decode(base64Ids.getBytes(StandardCharsets.UTF_8), TraceRequests.Encoding.JSON))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("traceId").hasMessageContaining("not hex");
        assertThatThrownBy(() -> TraceRequests.decode("{\"resourceSpans\":".getBytes(StandardCharsets.UTF_8),
                TraceRequests.Encoding.JSON)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> TraceRequests.decode(new byte[] {(byte) 0xff, 0x01, 0x02}, TraceRequests.Encoding.PROTOBUF))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("protobuf");
        assertThatThrownBy(() -> TraceRequests.Encoding.of("text/plain"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("application/x-protobuf");
        assertThat(TraceRequests.Encoding.of("application/json; charset=utf-8")).isEqualTo(TraceRequests.Encoding.JSON);
    }
}
