package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LocalStackMainTest {

    @Test
    void shouldRunOneOfEachComponentOnTheDocumentedPortsWithoutOptions() {
        StackConfig config = LocalStackMain.parse(new String[0]);

        assertThat(config.shape()).isEqualTo(StackConfig.Shape.DEFAULT);
        assertThat(config.ports()).isEqualTo(StackConfig.Ports.DEFAULTS);
        assertThat(config.freePorts()).isFalse();
        assertThat(config.secure()).isFalse();
    }

    @Test
    void shouldSecureKafkaWithTheSecureFlagAnywhereAmongTheOptions() {
        StackConfig config = LocalStackMain.parse(new String[] {"--data-dir", "/tmp/secure", "--secure", "--brokers", "3"});

        assertThat(config.secure()).isTrue();
        assertThat(config.shape().brokers()).isEqualTo(3);
    }

    @Test
    void shouldTakeTheClusterSizeAndInstanceCounts() {
        StackConfig config = LocalStackMain.parse(new String[] {"--brokers", "3", "--metering-instances", "2",
                "--alerting-instances", "0", "--kafka-port", "19092", "--data-dir", "/tmp/cluster"});

        assertThat(config.shape()).isEqualTo(new StackConfig.Shape(3, 2, 0, true));
        assertThat(config.brokerPort(2)).isEqualTo(19192);
        assertThat(config.dataDir()).hasToString("/tmp/cluster");
    }

    @Test
    void shouldRefuseAClusterWithoutBrokersOrAnUnknownOption() {
        assertThatThrownBy(() -> LocalStackMain.parse(new String[] {"--brokers", "0"}))
                .hasMessage("--brokers needs a number from 1 to 9, not '0'");
        assertThatThrownBy(() -> LocalStackMain.parse(new String[] {"--replicas", "3"}))
                .hasMessage("unknown option --replicas");
    }
}
