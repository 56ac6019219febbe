package dev.costmeter.testkit.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.SchemaRegistryExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The same contract on three brokers, with one of them stopped halfway: nothing acknowledged is lost. */
class UsageEventsThreeBrokersIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.brokers(3);
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);

    @Test
    void shouldKeepEveryAcknowledgedEventWhenABrokerStopsMidStream() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        String topic = kafka.uniqueTopicName("llm.usage");
        kafka.createTopic(topic, 3, Map.of("min.insync.replicas", "2"));
        List<UsageEvent> events = UsageEventsKafkaIT.UsageEventSamples.events(300);

        UsageEventsKafkaIT.UsageEventSamples.produce(kafka, REGISTRY.url(), topic, events.subList(0, 150));
        int stopped = kafka.brokerIds().get(kafka.brokerIds().size() - 1);
        kafka.stopBroker(stopped);
        UsageEventsKafkaIT.UsageEventSamples.produce(kafka, REGISTRY.url(), topic, events.subList(150, 300));

        assertThat(UsageEventsKafkaIT.UsageEventSamples.readBack(kafka, REGISTRY.url(), topic, events.size()))
                .containsExactlyInAnyOrderElementsOf(events);
        kafka.restartStoppedBrokers();
    }
}
