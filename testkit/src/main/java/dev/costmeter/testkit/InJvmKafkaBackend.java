package dev.costmeter.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import kafka.server.BrokerServer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * Kafka's own test kit in this JVM: node 0 is a combined KRaft controller and broker, any further
 * nodes are brokers only. One controller keeps startup lean and sidesteps multi-voter quorum
 * handling, which in the 4.3 test kit crashes follower controllers (UpdateVoter answered with
 * INVALID_REQUEST). Stopping a broker, even node 0's, leaves the controller running.
 */
final class InJvmKafkaBackend implements KafkaBackend {

    private static final int CONTROLLER_NODE = 0;

    private final KafkaClusterTestKit kit;

    private InJvmKafkaBackend(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    static InJvmKafkaBackend start(int brokers, Map<String, String> brokerConfig) throws Exception {
        Map<String, String> controllerConfig = new HashMap<>(BrokerConfigs.controllerOnly(brokers));
        controllerConfig.keySet().removeAll(brokerConfig.keySet());
        TestKitNodes nodes = new TestKitNodes.Builder()
                // The test kit defaults to the newest, unstable metadata version; test what
                // production runs instead.
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .setCombined(true)
                .setNumBrokerNodes(brokers)
                .setNumControllerNodes(1)
                .setPerServerProperties(Map.of(CONTROLLER_NODE, controllerConfig))
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        builder.setConfigProp("unstable.feature.versions.enable", "false");
        builder.setConfigProp("unstable.api.versions.enable", "false");
        brokerConfig.forEach(builder::setConfigProp);
        KafkaClusterTestKit kit = builder.build();
        try {
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
        } catch (Exception | Error e) {
            try {
                kit.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return new InJvmKafkaBackend(kit);
    }

    @Override
    public KafkaCluster.Mode mode() {
        return KafkaCluster.Mode.IN_JVM;
    }

    @Override
    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    @Override
    public List<Integer> brokerIds() {
        return new ArrayList<>(kit.brokers().keySet());
    }

    @Override
    public boolean controlsBrokers() {
        return true;
    }

    @Override
    public void stopBroker(int brokerId) {
        // A controlled shutdown: the controller moves leadership away before the broker stops.
        broker(brokerId).shutdown();
    }

    @Override
    public void startBroker(int brokerId) {
        // The test kit pre-binds each listener, so the broker comes back on the same port and
        // clients holding the old bootstrap list reconnect to it.
        broker(brokerId).startup();
    }

    private BrokerServer broker(int brokerId) {
        BrokerServer broker = kit.brokers().get(brokerId);
        if (broker == null) {
            throw new IllegalArgumentException("No broker " + brokerId + "; brokers are " + brokerIds());
        }
        return broker;
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
