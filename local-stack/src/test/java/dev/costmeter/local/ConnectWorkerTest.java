package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConnectWorkerTest {

    private final StackConfig single = StackConfig.defaults(Path.of("/tmp/costmeter-test"));

    @Test
    void shouldReplicateConnectsInternalTopicsLikeTheRestInACluster() throws IOException {
        Properties overrides = load(new ConnectWorker(single.withBrokers(3), new Probes(java.time.Duration.ZERO)).overrides());

        for (String topic : new String[] {"config.storage", "offset.storage", "status.storage"}) {
            assertThat(overrides).containsEntry(topic + ".replication.factor", "3")
                    .containsEntry(topic + ".min.insync.replicas", "2");
        }
    }

    @Test
    void shouldLeaveTheShippedReplicationAloneOnASingleBroker() throws IOException {
        Properties overrides = load(new ConnectWorker(single, new Probes(java.time.Duration.ZERO)).overrides());

        assertThat(overrides).containsOnlyKeys("plugin.discovery", "listeners", "rest.advertised.host.name",
                "rest.advertised.port");
    }

    @Test
    void shouldListenForRestRequestsOnLoopbackOnlyWhateverTheShippedFileSays() throws IOException {
        Properties worker = load("listeners=http://0.0.0.0:8083\nrest.advertised.host.name=connect.example\n"
                + new ConnectWorker(single, new Probes(java.time.Duration.ZERO)).overrides());

        assertThat(worker).containsEntry("listeners", "http://127.0.0.1:" + single.ports().connect())
                .containsEntry("rest.advertised.host.name", "127.0.0.1");
    }

    @Test
    void shouldWinOverTheShippedFileWhenAppended() throws IOException {
        Properties worker = load("config.storage.replication.factor=1\n"
                + new ConnectWorker(single.withBrokers(3), new Probes(java.time.Duration.ZERO)).overrides());

        assertThat(worker).containsEntry("config.storage.replication.factor", "3");
    }

    private static Properties load(String text) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
