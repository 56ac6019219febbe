package dev.costmeter.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Node;

/** A cluster someone else runs; the testkit neither starts nor stops it. */
final class ExternalKafkaBackend implements KafkaBackend {

    private final String bootstrapServers;
    private final List<Integer> brokerIds;

    private ExternalKafkaBackend(String bootstrapServers, List<Integer> brokerIds) {
        this.bootstrapServers = bootstrapServers;
        this.brokerIds = brokerIds;
    }

    static ExternalKafkaBackend connect(String bootstrapServers, Duration timeout) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            List<Integer> ids = admin.describeCluster().nodes()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .stream().map(Node::id).sorted().toList();
            return new ExternalKafkaBackend(bootstrapServers, ids);
        }
    }

    @Override
    public KafkaCluster.Mode mode() {
        return KafkaCluster.Mode.EXTERNAL;
    }

    @Override
    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public List<Integer> brokerIds() {
        return brokerIds;
    }

    @Override
    public boolean controlsBrokers() {
        return false;
    }

    @Override
    public void stopBroker(int brokerId) {
        throw new UnsupportedOperationException("Cannot stop a broker of an external cluster (" + bootstrapServers
                + "); failover tests need the in-JVM cluster: unset KAFKA_BOOTSTRAP_SERVERS");
    }

    @Override
    public void startBroker(int brokerId) {
        stopBroker(brokerId);
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
