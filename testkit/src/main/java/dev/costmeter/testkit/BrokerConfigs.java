package dev.costmeter.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Broker settings for a test cluster of a given size, tuned for Kafka Streams exactly-once tests on
 * a two-core machine: internal topics replicated as widely as the cluster allows, few partitions
 * on internal topics so they are created fast, and no rebalance delay.
 */
final class BrokerConfigs {

    private BrokerConfigs() {
    }

    static short replicationFactor(int brokers) {
        return (short) Math.min(3, brokers);
    }

    static int minInSyncReplicas(int brokers) {
        return Math.min(2, replicationFactor(brokers));
    }

    /**
     * Settings the KRaft controller applies when it creates topics, such as Kafka Streams' internal
     * topics created with the broker-default replication factor. Set on a broker-only node they are
     * ignored, with a warning.
     */
    static Map<String, String> controllerOnly(int brokers) {
        return Map.of("default.replication.factor", String.valueOf(replicationFactor(brokers)));
    }

    /** Settings for every node, overrides applied last. */
    static Map<String, String> forBrokerCount(int brokers, Map<String, String> overrides) {
        String rf = String.valueOf(replicationFactor(brokers));
        String minIsr = String.valueOf(minInSyncReplicas(brokers));
        Map<String, String> config = new LinkedHashMap<>();
        // Tests create every topic they use, as production does; a typo fails instead of
        // silently creating a one-partition topic.
        config.put("auto.create.topics.enable", "false");
        config.put("min.insync.replicas", minIsr);
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("offsets.topic.replication.factor", rf);
        config.put("offsets.topic.num.partitions", "5");
        config.put("transaction.state.log.replication.factor", rf);
        config.put("transaction.state.log.min.isr", minIsr);
        config.put("transaction.state.log.num.partitions", "5");
        config.put("share.coordinator.state.topic.replication.factor", rf);
        config.put("share.coordinator.state.topic.min.isr", minIsr);
        // The default 128 MiB cleaner buffer per broker is heap the tests never need.
        config.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        config.put("num.network.threads", "2");
        config.put("num.io.threads", "4");
        config.put("background.threads", "4");
        config.putAll(overrides);
        return config;
    }
}
