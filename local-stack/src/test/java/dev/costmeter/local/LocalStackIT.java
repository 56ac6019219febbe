package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.IOException;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the local stack's infrastructure (Kafka and registry child processes) the way {@code ./costmeter up} does. */
class LocalStackIT {

    @TempDir
    Path dataDir;

    @Test
    void shouldStartCreateTopicsAndResumeFromKeptDataAfterARestart() throws Exception {
        StackConfig config = StackConfig.defaults(dataDir).withPorts(freePorts()).infrastructureOnly();
        TopicNames topics = TopicNames.defaults();
        int subjectsBefore;
        List<Component> firstRun;

        try (LocalStack stack = LocalStack.start(config)) {
            firstRun = stack.components();
            try (Admin admin = admin(stack)) {
                Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
                assertThat(names).contains(topics.usage(), topics.ledger(), topics.control(), topics.prices(),
                        topics.usageDlq(), "_schemas");
                ConfigEntry cleanup = admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC,
                        topics.control()))).all().get(30, TimeUnit.SECONDS).values().iterator().next().get("cleanup.policy");
                assertThat(cleanup.value()).isEqualTo("compact");
            }
            try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(stack.registryUrl()))) {
                registry.register(topics.usage() + "-value", UsageEvent.getClassSchema());
                subjectsBefore = registry.subjects().size();
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps(stack))) {
                producer.send(new ProducerRecord<>(topics.usageDlq(), "kept", "across restarts")).get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(firstRun).allSatisfy(child -> assertThat(child.isAlive()).as(child.name()).isFalse());

        try (LocalStack stack = LocalStack.start(config)) {
            try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(stack.registryUrl()))) {
                assertThat(registry.subjects()).hasSize(subjectsBefore).contains(topics.usage() + "-value");
                assertThat(registry.latest(topics.usage() + "-value").schema()).isEqualTo(UsageEvent.getClassSchema());
            }
            assertThat(readAll(stack, topics.usageDlq())).extracting(ConsumerRecord::value).containsExactly("across restarts");
        }
    }

    @Test
    void shouldNameTheComponentAndPortWhenAPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            StackConfig config = StackConfig.defaults(dataDir).withPorts(withRegistryPort(freePorts(), taken.getLocalPort()));
            assertThatThrownBy(() -> LocalStack.start(config))
                    .isInstanceOf(LocalStack.StackStartException.class)
                    .hasMessage("schema registry cannot start: port " + taken.getLocalPort()
                            + " on localhost is already in use (is another costmeter stack or Kafka running?)");
        }
    }

    private static List<ConsumerRecord<String, String>> readAll(LocalStack stack, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-it");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "local-stack-it-" + topic);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (records.isEmpty() || emptyPolls < 3)) {
                int before = records.size();
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                emptyPolls = records.size() == before ? emptyPolls + 1 : 0;
            }
        }
        return records;
    }

    private static Properties producerProps(LocalStack stack) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return props;
    }

    private static Admin admin(LocalStack stack) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers()));
    }

    static StackConfig.Ports freePorts() throws IOException {
        return new StackConfig.Ports(freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort(), freePort());
    }

    private static StackConfig.Ports withRegistryPort(StackConfig.Ports p, int registry) {
        return new StackConfig.Ports(p.kafka(), p.controller(), registry, p.metering(), p.alerting(), p.connect(), p.postgres(), p.inbox());
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
