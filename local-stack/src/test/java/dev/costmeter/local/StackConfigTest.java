package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import org.junit.jupiter.api.Test;

class StackConfigTest {

    private final StackConfig defaults = StackConfig.defaults(Path.of("/tmp/costmeter-test"));

    @Test
    void shouldKeepTheDocumentedSingleNodeStackByDefault() {
        assertThat(defaults.bootstrapServers()).isEqualTo("localhost:9092");
        assertThat(defaults.portsInUse()).containsExactly(
                java.util.Map.entry("kafka", 9092), java.util.Map.entry("kafka controller", 9093),
                java.util.Map.entry("schema registry", 8081), java.util.Map.entry("postgresql", 5432),
                java.util.Map.entry("metering-stream", 8090), java.util.Map.entry("alerting-stream", 8091),
                java.util.Map.entry("ingest gateway", 8092), java.util.Map.entry("kafka connect", 8083), java.util.Map.entry("on-call inbox", 8099));
        assertThat(defaults.replicationFactor()).isEqualTo((short) 1);
        assertThat(defaults.minInsyncReplicas()).isEqualTo(1);
    }

    @Test
    void shouldPutExtraBrokersAndInstancesAHundredPortsApart() {
        StackConfig cluster = defaults.withBrokers(3).withMeteringInstances(2).withAlertingInstances(2);

        assertThat(cluster.bootstrapServers()).isEqualTo("localhost:9092,localhost:9192,localhost:9292");
        assertThat(cluster.portsInUse()).containsEntry("kafka-3", 9292).containsEntry("kafka-3 controller", 9293)
                .containsEntry("metering-stream-2", 8190).containsEntry("alerting-stream-2", 8191)
                .containsEntry("metering-stream-1", 8090).doesNotContainKey("kafka");
        assertThat(new HashSet<>(cluster.portsInUse().values())).hasSameSizeAs(cluster.portsInUse().values());
    }

    @Test
    void shouldReplicateThriceWithTwoInSyncFromThreeBrokersOn() {
        assertThat(defaults.withBrokers(2).replicationFactor()).isEqualTo((short) 2);
        assertThat(defaults.withBrokers(2).minInsyncReplicas()).isEqualTo(1);
        assertThat(defaults.withBrokers(3).replicationFactor()).isEqualTo((short) 3);
        assertThat(defaults.withBrokers(3).minInsyncReplicas()).isEqualTo(2);
        assertThat(defaults.withBrokers(5).replicationFactor()).isEqualTo((short) 3);
    }

    @Test
    void shouldPickADistinctFreePortForEveryComponentWhenAskedFor() {
        StackConfig picked = defaults.withFreePorts().withBrokers(3).withMeteringInstances(2).withAlertingInstances(2)
                .withPortsPicked();

        assertThat(picked.portsInUse()).hasSize(3 * 2 + 1 + 1 + 2 + 2 + 1 + 2);
        assertThat(new HashSet<>(picked.portsInUse().values())).hasSameSizeAs(picked.portsInUse().values());
        assertThat(picked.portsInUse().values()).doesNotContain(9092, 9192, 8090, 8190, 8092);
        assertThat(picked.withPortsPicked().portsInUse()).as("picked once").isEqualTo(picked.portsInUse());
        assertThat(picked.withMeteringInstances(3).withPortsPicked().portsInUse())
                .as("an instance more keeps the others' ports").containsAllEntriesOf(picked.portsInUse())
                .containsKey("metering-stream-3");
    }

    @Test
    void shouldRunTheGatewayWithTheStreamAppsUnlessLeftOut() {
        assertThat(defaults.runsGateway()).isTrue();
        assertThat(defaults.withGatewayPort(18092).portsInUse()).containsEntry("ingest gateway", 18092);
        assertThat(defaults.withoutGateway().portsInUse()).doesNotContainKey("ingest gateway");
        assertThat(defaults.infrastructureOnly().runsGateway()).as("nothing for it to feed").isFalse();
        assertThat(defaults.withFreePorts().withoutGateway().withPortsPicked().instancePorts()).doesNotContainKey("gateway");
    }

    @Test
    void shouldRefuseAStackWithoutBrokers() {
        assertThatThrownBy(() -> defaults.withBrokers(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldNeverShowThePostgresPasswordInText() {
        assertThat(new StackConfig.ExternalPostgres("jdbc:postgresql://db/x", "ledger", "s3cret").toString())
                .doesNotContain("s3cret");
    }
}
