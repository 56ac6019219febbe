package dev.costmeter.testkit;

import java.util.List;

/** What differs between an in-JVM, a containerised and an external cluster. */
interface KafkaBackend {

    KafkaCluster.Mode mode();

    String bootstrapServers();

    /** Ids of the brokers the cluster was started with, running or not. */
    List<Integer> brokerIds();

    boolean controlsBrokers();

    /** Stops what this backend started; an external cluster is left running. */
    void close() throws Exception;

    /** Shuts one broker down, returning once its partitions have moved to other brokers. */
    void stopBroker(int brokerId);

    /** Starts a broker stopped by {@link #stopBroker(int)} again, without waiting for it. */
    void startBroker(int brokerId);
}
