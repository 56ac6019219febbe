package dev.costmeter.runtime.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import dev.costmeter.runtime.lifecycle.RuntimeMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Properties;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.IntegerSerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;

class CountingLogAndContinueHandlerTest {

    /** Accepts only 4-byte integers, like a strict wire-format decoder. */
    private static final Deserializer<Integer> STRICT_INT = (topic, data) -> {
        if (data == null || data.length != 4) {
            throw new IllegalArgumentException("not a 4-byte integer");
        }
        return Serdes.Integer().deserializer().deserialize(topic, data);
    };

    @Test
    void shouldSkipCountAndContinueOnUndecodableRecord() {
        Topology topology = new Topology();
        topology.addSource("numbers-source", Serdes.String().deserializer(), STRICT_INT, "numbers");
        topology.addSink("numbers-sink", "out", Serdes.String().serializer(), Serdes.Integer().serializer(),
                "numbers-source");
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Properties props = StreamsDefaults.baseProperties(AppConfig.of("test-app", java.util.Map.of()), "test-app");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(CountingLogAndContinueHandler.METER_REGISTRY_CONFIG, registry);

        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
            TestInputTopic<String, Integer> good = driver.createInputTopic("numbers", new StringSerializer(),
                    new IntegerSerializer());
            TestInputTopic<String, String> bad = driver.createInputTopic("numbers", new StringSerializer(),
                    new StringSerializer());
            TestOutputTopic<String, Integer> out = driver.createOutputTopic("out", new StringDeserializer(),
                    Serdes.Integer().deserializer());

            good.pipeInput("a", 1);
            bad.pipeInput("b", "garbage");
            good.pipeInput("c", 3);

            assertThat(out.readValuesToList()).containsExactly(1, 3);
        }
        assertThat(registry.get(RuntimeMeters.DESERIALIZATION_ERRORS).tag("topic", "numbers").counter().count())
                .isEqualTo(1.0);
    }
}
