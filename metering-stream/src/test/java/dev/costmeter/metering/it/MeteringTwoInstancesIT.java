package dev.costmeter.metering.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.metering.MeteringTopology;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.SchemaRegistryExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two metering instances of one application on a real broker and the real registry: totals over
 * the query API equal what was produced, and either instance answers for keys the other holds.
 */
class MeteringTwoInstancesIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);

    private static final int TASKS = 40;
    private static final int CALLS_PER_TASK = 10;
    private static final long COST_PER_CALL = 10_000_000L;
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");

    @TempDir
    Path stateDir;

    private static String registryUrl() {
        return REGISTRY.url();
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldAnswerTotalsEqualToWhatWasProducedFromEitherInstance() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        Map<String, String> topics = new HashMap<>();
        for (String logical : List.of("usage", "task-outcomes", "ledger", "rollups", "usage-dlq", "price-corrections", "ledger-corrections")) {
            String name = kafka.uniqueTopicName(logical);
            kafka.createTopic(name, 4);
            topics.put("topic." + logical, name);
        }
        String prices = kafka.uniqueTopicName("prices");
        kafka.createTopic(prices, 1, Map.of("cleanup.policy", "compact"));
        topics.put("topic.prices", prices);

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> registryConfig = Map.of(RegistryClientConfig.URL, registryUrl());
        try (KafkaProducer<String, PriceEntry> producer = producer(kafka, registryConfig)) {
            producer.send(new ProducerRecord<>(prices, "openai/gpt-4o", PriceEntry.newBuilder().setProvider("openai")
                    .setModel("gpt-4o").setEffectiveFrom(now.minus(Duration.ofDays(1)))
                    .setInputNanosPerMtok(2_500_000_000L).setOutputNanosPerMtok(10_000_000_000L)
                    .setPriceVersion("openai/gpt-4o@test").build())).get();
        }

        String applicationId = kafka.uniqueName("metering-it");
        try (StreamsApp first = app(kafka, topics, applicationId, "a"); StreamsApp second = app(kafka, topics, applicationId, "b")) {
            first.start();
            second.start();
            await(() -> first.streams().state() == KafkaStreams.State.RUNNING
                    && second.streams().state() == KafkaStreams.State.RUNNING, "both instances RUNNING");

            Map<String, Long> expectedByTenant = new HashMap<>();
            try (KafkaProducer<String, UsageEvent> producer = producer(kafka, registryConfig)) {
                for (int t = 0; t < TASKS; t++) {
                    String tenant = TENANTS.get(t % TENANTS.size());
                    for (int c = 0; c < CALLS_PER_TASK; c++) {
                        UsageEvent event = UsageEvent.newBuilder().setEventId("task-" + t + "-call-" + c)
                                .setEventTime(now.plusMillis(t * 100L + c)).setTenantId(tenant).setTaskId("task-" + t)
                                .setTaskClass("support-answer").setRoute("chat").setProvider("openai").setModel("gpt-4o")
                                .setInputTokens(2_000).setOutputTokens(500).setStatus(CallStatus.OK).build();
                        producer.send(new ProducerRecord<>(topics.get("topic.usage"), event.getTaskId(), event));
                        expectedByTenant.merge(tenant, COST_PER_CALL, Long::sum);
                    }
                }
                producer.flush();
            }

            AvroDeserializer<PricedUsage> ledgerReader = new AvroDeserializer<>(PricedUsage.class);
            ledgerReader.configure(registryConfig, false);
            List<PricedUsage> ledger = kafka.readAll(topics.get("topic.ledger"), new StringDeserializer(), ledgerReader,
                    TASKS * CALLS_PER_TASK, Duration.ofSeconds(90)).stream().map(r -> r.value()).toList();
            assertThat(ledger).hasSize(TASKS * CALLS_PER_TASK);
            assertThat(ledger.stream().mapToLong(PricedUsage::getCostNanos).sum()).isEqualTo(TASKS * CALLS_PER_TASK * COST_PER_CALL);

            String from = now.truncatedTo(ChronoUnit.DAYS).toString();
            String to = now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1)).toString();
            for (StreamsApp asked : List.of(first, second)) {
                for (String tenant : TENANTS) {
                    String path = "/v1/spend?dimension=tenant&scope=" + tenant + "&granularity=day&from=" + from + "&to=" + to;
                    await(() -> get(asked, path).path("total").path("cost_nanos").asLong() == expectedByTenant.get(tenant),
                            "spend of " + tenant + " from instance " + asked.httpPort());
                }
            }

            // Some tasks live on each instance; both instances answer for all of them.
            int ownedBySecond = 0;
            for (int t = 0; t < TASKS; t++) {
                KeyQueryMetadata owner = first.streams().queryMetadataForKey(MeteringTopology.TASK_STORE, "task-" + t,
                        Serdes.String().serializer());
                if (owner.activeHost().port() == second.httpPort()) {
                    ownedBySecond++;
                }
                for (StreamsApp asked : List.of(first, second)) {
                    JsonNode task = get(asked, "/v1/tasks/task-" + t);
                    assertThat(task.path("calls").asLong()).isEqualTo(CALLS_PER_TASK);
                    assertThat(task.path("cost_nanos").asLong()).isEqualTo(CALLS_PER_TASK * COST_PER_CALL);
                }
            }
            assertThat(ownedBySecond).as("tasks owned by the second instance").isBetween(1, TASKS - 1);

            JsonNode top = get(first, "/v1/top-tasks?day=" + now.truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10)
                    + "&limit=" + TASKS);
            assertThat(top.path("tasks")).hasSize(TASKS);
        }
    }

    private StreamsApp app(KafkaCluster kafka, Map<String, String> topics, String applicationId, String instance) {
        Map<String, String> config = new HashMap<>(MeteringApp.defaults());
        config.putAll(topics);
        config.put("application.id", applicationId);
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", registryUrl());
        config.put("http.host", "127.0.0.1");
        config.put("http.port", "0");
        config.put("application.server", "127.0.0.1:0");
        config.put("state.dir", stateDir.resolve(instance).toString());
        config.put("streams.replication.factor", "1");
        return MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, config));
    }

    private JsonNode get(StreamsApp app, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(KafkaCluster kafka,
            Map<String, Object> registryConfig) {
        AvroSerializer<V> serializer = new AvroSerializer<>();
        serializer.configure(registryConfig, false);
        return new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), serializer);
    }

    private static void await(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(condition);
    }
}
