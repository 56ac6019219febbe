package dev.costmeter.local;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import dev.costmeter.local.security.OwnerOnlyFiles;
import dev.costmeter.local.security.StackSecurity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka node in KRaft mode, broker and controller in one process, keeping its log under the
 * stack's data directory ({@code kafka/} alone, {@code kafka-<node>/} in a cluster). The storage is
 * formatted on first start only, so a second run resumes with every topic, offset and schema it had.
 */
final class KafkaNode {

    private static final Logger log = LoggerFactory.getLogger(KafkaNode.class);

    private final StackConfig config;
    private final int nodeId;
    private final Optional<StackSecurity> security;

    KafkaNode(StackConfig config, int nodeId, Optional<StackSecurity> security) {
        this.config = config;
        this.nodeId = nodeId;
        this.security = security;
    }

    int nodeId() {
        return nodeId;
    }

    String name() {
        return config.brokerName(nodeId);
    }

    int port() {
        return config.brokerPort(nodeId);
    }

    Path logDir() {
        return config.dataDir().resolve(name());
    }

    Path propertiesFile() {
        return config.dataDir().resolve("config").resolve(config.shape().brokers() == 1 ? "server.properties"
                : name() + ".properties");
    }

    /** The cluster id its storage was formatted with, if it was. */
    Optional<String> formattedClusterId() throws IOException {
        Path meta = logDir().resolve("meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(meta, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return Optional.ofNullable(properties.getProperty("cluster.id"));
    }

    /** Writes its server properties, reflecting the current ports (owner-only: a secure node's hold passwords). */
    void writeProperties() throws IOException {
        OwnerOnlyFiles.write(propertiesFile(), serverProperties());
    }

    /** Formats its storage for {@code clusterId} (each node of a cluster with the same id). */
    void format(String clusterId) throws IOException, InterruptedException {
        log.info("Formatting Kafka storage at {} (cluster id {}, node {})", logDir(), clusterId, nodeId);
        Files.createDirectories(config.logDir());
        Path formatLog = config.logDir().resolve(name() + "-format.log");
        List<String> command = new ArrayList<>(List.of(config.javaBinary(), "-cp", System.getProperty("java.class.path"),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", propertiesFile().toString()));
        // Secure: every component's SCRAM user exists from the first start (the brokers' own is needed to start at all).
        security.ifPresent(s -> command.addAll(s.formatArguments()));
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(formatLog.toFile())).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting Kafka storage at " + logDir() + " failed; see " + formatLog);
        }
    }

    ChildProcess launch() throws IOException {
        // Alone, as much heap as it always had; in a cluster of several on one machine, less each.
        List<String> heap = config.shape().brokers() == 1 ? List.of("-Xms512m", "-Xmx1g") : List.of("-Xmx512m");
        List<String> jvm = new ArrayList<>(heap);
        jvm.add("-XX:+UseG1GC");
        return ChildProcess.start(config, name(), port(), "kafka.Kafka", jvm, Map.of(), propertiesFile().toString());
    }

    private String serverProperties() {
        String host = config.host();
        StringBuilder voters = new StringBuilder();
        for (int node = 1; node <= config.shape().brokers(); node++) {
            voters.append(node == 1 ? "" : ",").append(node).append('@').append(host).append(':').append(config.controllerPort(node));
        }
        String replicas = Short.toString(config.replicationFactor());
        String minIsr = Integer.toString(config.minInsyncReplicas());
        String listener = security.isPresent() ? "SASL_SSL" : "PLAINTEXT";
        List<String> listenerLines = security.map(s -> s.brokerProperties(name())).orElse(List.of(
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"));
        return String.join("\n",
                "# Written by the costmeter local stack on every start; edit StackConfig, not this file.",
                "process.roles=broker,controller",
                "node.id=" + nodeId,
                "controller.quorum.voters=" + voters,
                "listeners=" + listener + "://" + host + ":" + port() + ",CONTROLLER://" + host + ":" + config.controllerPort(nodeId),
                "advertised.listeners=" + listener + "://" + host + ":" + port(),
                "controller.listener.names=CONTROLLER",
                String.join("\n", listenerLines),
                "log.dirs=" + logDir(),
                // Topics are created explicitly, with their partitions, retention and compaction spelled out.
                "auto.create.topics.enable=false",
                "num.partitions=6",
                // Every topic, internal ones included, on min(brokers, 3) replicas, and a write needs all
                // but one of them: one broker may die without losing an acknowledged record.
                "default.replication.factor=" + replicas,
                "min.insync.replicas=" + minIsr,
                "offsets.topic.replication.factor=" + replicas,
                "transaction.state.log.replication.factor=" + replicas,
                "transaction.state.log.min.isr=" + minIsr,
                "share.coordinator.state.topic.replication.factor=" + replicas,
                "share.coordinator.state.topic.min.isr=" + minIsr,
                "group.initial.rebalance.delay.ms=0",
                // A killed app leaves its open transaction behind; until it is aborted, the new owner of
                // its partitions cannot read their committed offsets. The coordinator aborts a timed-out
                // transaction only on this scan (10 s by default), which put up to 10 s on a failover.
                "transaction.abort.timed.out.transaction.cleanup.interval.ms=1000",
                "log.retention.hours=168",
                "log.segment.bytes=268435456",
                "");
    }
}
