package dev.costmeter.deploy.demo;

import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.killswitch.StartupPolicy;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.TaskOutcome;
import dev.costmeter.schemas.control.VerifyKeys;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.schemas.topics.TopicNames;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What every simulated service shares: the usage reporter, the kill-switch client and an outcome producer. */
final class DemoServices implements AutoCloseable {

    private final UsageReporter reporter;
    private final KillSwitchClient switches;
    private final KafkaProducer<String, TaskOutcome> outcomes;
    private final String outcomesTopic = TopicNames.defaults().taskOutcomes();

    /** @param kafkaSecurity the services' Kafka client security settings (none on a plaintext stack) */
    DemoServices(String bootstrapServers, String registryUrl, VerifyKeys keys, Map<String, String> kafkaSecurity) {
        this.reporter = UsageReporter.builder().bootstrapServers(bootstrapServers).registryUrl(registryUrl)
                .properties(kafkaSecurity).build();
        this.switches = KillSwitchClient.builder().bootstrapServers(bootstrapServers).registryUrl(registryUrl)
                .properties(kafkaSecurity).verifyKeys(keys).startupPolicy(StartupPolicy.FAIL_OPEN).build();
        AvroSerializer<TaskOutcome> serializer = new AvroSerializer<>();
        serializer.configure(Map.of(RegistryClientConfig.URL, registryUrl), false);
        Map<String, Object> producer = new java.util.HashMap<>(kafkaSecurity);
        producer.putAll(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 20));
        this.outcomes = new KafkaProducer<>(producer, new StringSerializer(), serializer);
    }

    void start() {
        switches.start();
    }

    UsageReporter reporter() {
        return reporter;
    }

    KillSwitchClient switches() {
        return switches;
    }

    void outcome(String taskId, String tenant, String taskClass, String route, Outcome outcome) {
        outcomes.send(new ProducerRecord<>(outcomesTopic, taskId, TaskOutcome.newBuilder().setTaskId(taskId)
                .setTenantId(tenant).setTaskClass(taskClass).setRoute(route).setOutcome(outcome)
                .setEventTime(Instant.now()).build()));
    }

    @Override
    public void close() {
        reporter.close();
        switches.close();
        outcomes.close();
    }
}
