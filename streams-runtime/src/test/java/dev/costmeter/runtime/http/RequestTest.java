package dev.costmeter.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestTest {

    @Test
    void shouldSplitAndDecodeSegmentsKeepingEncodedSlashesInside() {
        Request request = Request.of("GET", "/prices", URI.create("/prices/openai%2Fgpt-4o/a+b%20c"));

        assertThat(request.segments()).containsExactly("prices", "openai/gpt-4o", "a+b c");
        assertThat(request.routeSegments()).containsExactly("openai/gpt-4o", "a+b c");
        assertThat(request.pathAndQuery()).isEqualTo("/prices/openai%2Fgpt-4o/a+b%20c");
    }

    @Test
    void shouldParseQueryParametersInOrder() {
        Request request = Request.of("GET", "/costs",
                URI.create("/costs?dimension=tenant&scope=acme+corp&scope=b%26c&flag&local=TRUE"));

        assertThat(request.query("dimension")).hasValue("tenant");
        assertThat(request.queryParams().get("scope")).isEqualTo(List.of("acme corp", "b&c"));
        assertThat(request.query("flag")).hasValue("");
        assertThat(request.query("absent")).isEmpty();
        assertThat(request.localOnly()).isTrue();
        assertThat(request.routeSegments()).isEmpty();
    }

    @Test
    void shouldRejectMalformedEncodingAsABadRequest() {
        assertThatThrownBy(() -> Request.of("GET", "/costs", URI.create("/costs?scope=%E0%A4%A")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
