package dev.costmeter.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

class DecodeOrDeadLetterTest {

    /** Decodes UTF-8 numbers; anything else does not decode. */
    private static final Deserializer<Long> NUMBERS = (topic, bytes) -> {
        if (bytes == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(bytes, StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new SerializationException("not a number", e);
        }
    };

    @Test
    void shouldPassValidRecordsAndSendEveryOtherToTheDeadLetterTopicAsReceived() {
        List<String> counted = new ArrayList<>();
        StreamsBuilder builder = new StreamsBuilder();
        DecodeOrDeadLetter.stream(builder, "numbers", "in", "dlq", () -> new DecodeOrDeadLetter<Long>(NUMBERS,
                        (key, value, now) -> value < 0 ? Optional.of(new DecodeOrDeadLetter.Rejection("negative", value + " < 0"))
                                : Optional.empty(), value -> value, (topic, reason) -> counted.add(topic + ":" + reason), "test-app"))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decode-test");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, Long> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.Long().deserializer());
            TestOutputTopic<byte[], byte[]> dlq = driver.createOutputTopic("dlq", Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());

            in.pipeInput("k1", "42");
            in.pipeInput("k2", "forty-two");
            in.pipeInput(new TestRecord<>("k3", null));
            in.pipeInput("k4", "-1");

            TestRecord<String, Long> valid = out.readRecord();
            assertThat(valid.key()).isEqualTo("k1");
            assertThat(valid.value()).isEqualTo(42L);
            assertThat(valid.timestamp()).isEqualTo(42L);
            assertThat(out.isEmpty()).isTrue();
            List<TestRecord<byte[], byte[]>> dead = dlq.readRecordsToList();
            assertThat(dead).extracting(r -> DeadLetters.value(r.headers(), DeadLetters.REASON).orElseThrow())
                    .containsExactly("undecodable", "missing-value", "negative");
            assertThat(new String(dead.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("forty-two");
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("k2");
            assertThat(DeadLetters.value(dead.get(0).headers(), DeadLetters.DETAIL)).hasValue("not a number: For input string: \"forty-two\"");
            assertThat(DeadLetters.value(dead.get(2).headers(), DeadLetters.SOURCE_OFFSET)).hasValue("3");
            assertThat(DeadLetters.value(dead.get(2).headers(), DeadLetters.APP)).hasValue("test-app");
            assertThat(counted).containsExactly("in:undecodable", "in:missing-value", "in:negative");
        }
    }
    @Test
    void shouldDropAndCountRejectedRecordsWhenAnotherAppOwnsTheTopicsValidation() {
        List<String> counted = new ArrayList<>();
        StreamsBuilder builder = new StreamsBuilder();
        DecodeOrDeadLetter.skipping(builder, "numbers", "in", () -> new DecodeOrDeadLetter<Long>(NUMBERS,
                        (key, value, now) -> value < 0 ? Optional.of(new DecodeOrDeadLetter.Rejection("negative", value + " < 0"))
                                : Optional.empty(), null, (topic, reason) -> counted.add(topic + ":" + reason), "test-app"))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "decode-skip-test");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, Long> out = driver.createOutputTopic("out", Serdes.String().deserializer(), Serdes.Long().deserializer());

            in.pipeInput("k1", "forty-two");
            in.pipeInput("k2", "-1");
            in.pipeInput("k3", "7");

            assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("k3", 7L));
            assertThat(counted).containsExactly("in:undecodable", "in:negative");
            assertThat(builder.build().describe().toString()).doesNotContain("numbers-dlq");
        }
    }
}
