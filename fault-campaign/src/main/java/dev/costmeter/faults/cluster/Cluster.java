package dev.costmeter.faults.cluster;

import java.time.Duration;
import java.util.List;

/**
 * What the campaign needs of a running costmeter cluster: its addresses and a hand on each process.
 * Components are named as the local stack names them ({@code kafka-1}, {@code schema-registry},
 * {@code postgresql}, {@code kafka-connect}, metering and alerting instances).
 */
public interface Cluster extends AutoCloseable {

    String bootstrapServers();

    String registryUrl();

    List<String> meteringUrls();

    /** The PostgreSQL ledger the Connect sink writes. */
    Postgres postgres();

    /** The consumer group (application id) of metering-stream. */
    String meteringGroup();

    List<String> brokers();

    /** The component name of the broker that is the active controller now. */
    String activeController() throws Exception;

    List<String> meteringInstances();

    List<String> alertingInstances();

    String registry();

    String connect();

    String postgresComponent();

    ProcessControl component(String name);

    /** Starts one more metering instance; returns its component name once it is up. */
    String addMeteringInstance() throws Exception;

    /** Stops an instance for good (a clean shutdown: it leaves the group). */
    void removeMeteringInstance(String name) throws Exception;

    /** Restarts every broker, one at a time, each back in sync before the next. */
    void rollingBrokerRestart() throws Exception;

    void awaitHealthy(Duration timeout) throws Exception;

    /** Where the PostgreSQL ledger is. */
    record Postgres(String jdbcUrl, String user, String password, String schema) {
        @Override
        public String toString() {
            return "Postgres[" + jdbcUrl + ", user " + user + ", schema " + schema + "]";
        }
    }

    @Override
    void close();
}
