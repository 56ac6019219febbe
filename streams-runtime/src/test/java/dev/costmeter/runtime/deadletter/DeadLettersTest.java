package dev.costmeter.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.junit.jupiter.api.Test;

class DeadLettersTest {

    private record Metadata(String topic, int partition, long offset) implements RecordMetadata {
    }

    @Test
    void shouldWriteEveryHeaderAsUtf8() {
        Headers headers = DeadLetters.headers("NEGATIVE_TOKENS", "input_tokens=-3 (é)",
                Optional.of(new Metadata("llm.usage.v1", 2, 41L)), "metering-stream", 1_738_324_800_000L);

        assertThat(Arrays.stream(headers.toArray()).map(Header::key)).containsExactly(
                DeadLetters.REASON, DeadLetters.DETAIL, DeadLetters.SOURCE_TOPIC, DeadLetters.SOURCE_PARTITION,
                DeadLetters.SOURCE_OFFSET, DeadLetters.APP, DeadLetters.FAILED_AT);
        assertThat(DeadLetters.value(headers, DeadLetters.REASON)).hasValue("NEGATIVE_TOKENS");
        assertThat(new String(headers.lastHeader(DeadLetters.DETAIL).value(), StandardCharsets.UTF_8))
                .isEqualTo("input_tokens=-3 (é)");
        assertThat(DeadLetters.value(headers, DeadLetters.SOURCE_TOPIC)).hasValue("llm.usage.v1");
        assertThat(DeadLetters.value(headers, DeadLetters.SOURCE_PARTITION)).hasValue("2");
        assertThat(DeadLetters.value(headers, DeadLetters.SOURCE_OFFSET)).hasValue("41");
        assertThat(DeadLetters.value(headers, DeadLetters.APP)).hasValue("metering-stream");
        assertThat(DeadLetters.value(headers, DeadLetters.FAILED_AT)).hasValue("2025-01-31T12:00:00Z");
    }

    @Test
    void shouldOmitWhatIsNotKnown() {
        Headers headers = DeadLetters.headers("UNPRICED", null, Optional.of(new Metadata(null, -1, -1L)),
                "metering-stream", 0L);
        Headers noSource = DeadLetters.headers("UNPRICED", null, Optional.empty(), "metering-stream", 0L);

        assertThat(Arrays.stream(headers.toArray()).map(Header::key))
                .containsExactly(DeadLetters.REASON, DeadLetters.APP, DeadLetters.FAILED_AT);
        assertThat(noSource.toArray()).hasSize(3);
    }

    @Test
    void shouldCutLongDetails() {
        Headers headers = DeadLetters.headers("TOO_BIG", "x".repeat(5000), Optional.empty(), "app", 0L);

        assertThat(DeadLetters.value(headers, DeadLetters.DETAIL).orElseThrow()).hasSize(DeadLetters.MAX_DETAIL_CHARS);
    }
}
