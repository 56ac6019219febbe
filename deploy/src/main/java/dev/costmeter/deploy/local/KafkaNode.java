package dev.costmeter.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka in KRaft mode (broker and controller in one process) keeping its log under
 * the stack's data directory. The storage is formatted on first start only, so a second run
 * resumes with every topic, offset and schema it had.
 */
final class KafkaNode {

    private static final Logger log = LoggerFactory.getLogger(KafkaNode.class);

    private final StackConfig config;

    KafkaNode(StackConfig config) {
        this.config = config;
    }

    Path logDir() {
        return config.dataDir().resolve("kafka");
    }

    Path propertiesFile() {
        return config.dataDir().resolve("config").resolve("server.properties");
    }

    /** Writes server.properties, reflecting the current ports, and formats the storage if it is new. */
    void prepare() throws IOException, InterruptedException {
        Files.createDirectories(propertiesFile().getParent());
        Files.writeString(propertiesFile(), serverProperties(), StandardCharsets.UTF_8);
        if (Files.exists(logDir().resolve("meta.properties"))) {
            log.info("Kafka storage at {} already formatted; resuming", logDir());
            return;
        }
        String clusterId = Uuid.randomUuid().toString();
        log.info("Formatting Kafka storage at {} (cluster id {})", logDir(), clusterId);
        Files.createDirectories(config.logDir());
        Path formatLog = config.logDir().resolve("kafka-format.log");
        List<String> command = new ArrayList<>(List.of(config.javaBinary(), "-cp", System.getProperty("java.class.path"),
                "kafka.tools.StorageTool", "format", "-t", clusterId, "-c", propertiesFile().toString()));
        Process format = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(formatLog.toFile())).start();
        if (!format.waitFor(2, TimeUnit.MINUTES) || format.exitValue() != 0) {
            format.destroyForcibly();
            throw new IllegalStateException("Formatting Kafka storage at " + logDir() + " failed; see " + formatLog);
        }
    }

    ChildProcess start() throws IOException {
        return ChildProcess.start(config, "kafka", config.ports().kafka(), "kafka.Kafka",
                List.of("-Xms512m", "-Xmx1g", "-XX:+UseG1GC"), java.util.Map.of(), propertiesFile().toString());
    }

    private String serverProperties() {
        String host = config.host();
        return String.join("\n",
                "# Written by the costmeter local stack on every start; edit StackConfig, not this file.",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + config.ports().controller(),
                "listeners=PLAINTEXT://" + host + ":" + config.ports().kafka() + ",CONTROLLER://" + host + ":" + config.ports().controller(),
                "advertised.listeners=PLAINTEXT://" + host + ":" + config.ports().kafka(),
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                "log.dirs=" + logDir(),
                // Topics are created explicitly, with their partitions, retention and compaction spelled out.
                "auto.create.topics.enable=false",
                "num.partitions=6",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=168",
                "log.segment.bytes=268435456",
                "") ;
    }
}
