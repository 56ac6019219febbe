package dev.costmeter.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class MeteringAppDefaultsTest {

    private static Map<String, Object> mainConsumer(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(MeteringApp.defaults());
        config.putAll(overrides);
        StreamsConfig streams = new StreamsConfig(StreamsDefaults.baseProperties(AppConfig.of(MeteringApp.APP_NAME, config),
                "costmeter-metering"));
        return streams.getMainConsumerConfigs("costmeter-metering", "costmeter-metering-StreamThread-1-consumer", 0);
    }

    @Test
    void shouldGiveTheMainConsumerFetchesThatLandWholeWhileTheStreamThreadWorks() {
        Map<String, Object> consumer = mainConsumer(Map.of());

        assertThat(consumer).containsEntry("receive.buffer.bytes", "4194304")
                .containsEntry("fetch.max.bytes", "3145728")
                .containsEntry("max.partition.fetch.bytes", "524288")
                .containsEntry("fetch.max.wait.ms", "20");
    }

    @Test
    void shouldLetAnOperatorOverrideTheFetchTuning() {
        assertThat(mainConsumer(Map.of("main.consumer.fetch.max.wait.ms", "500"))).containsEntry("fetch.max.wait.ms", "500");
    }
}
