package dev.costmeter.cli.prices;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.catalog.CatalogParser;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import dev.costmeter.registry.server.RegistryServerConfig;
import dev.costmeter.registry.server.SchemaRegistryServer;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.registry.RestSchemaRegistryClient;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** costctl prices against a real Kafka broker and the real schema registry storing schemas in Kafka. */
class PricesIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();

    private static SchemaRegistryServer registry;

    private final KafkaCluster kafka;
    private String topic;

    @TempDir
    Path dir;

    PricesIT(KafkaCluster kafka) {
        this.kafka = kafka;
    }

    @BeforeAll
    static void startRegistry(KafkaCluster kafka) throws Exception {
        registry = SchemaRegistryServer.start(RegistryServerConfig.builder()
                .port(0)
                .kafkaBootstrapServers(kafka.bootstrapServers())
                .schemasTopic(kafka.uniqueName("_schemas"))
                .topicReplicationFactor(kafka.defaultReplicationFactor())
                .build());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @BeforeEach
    void createPricesTopic() {
        topic = kafka.uniqueTopicName("llm.prices.v1");
        kafka.createTopic(topic, 3, Map.of("cleanup.policy", "compact"));
    }

    @Test
    void shouldPublishTheShippedCatalogAndListItBack() throws Exception {
        // A model with a dated price has two versions (entries) in the catalog and one record on the topic.
        List<dev.costmeter.cli.catalog.CatalogEntry> entries = new CatalogParser()
                .parse(Files.readString(Path.of("..", "examples", "catalog.yaml"))).entries();
        int versions = entries.size();
        int models = (int) entries.stream().map(dev.costmeter.cli.catalog.CatalogEntry::key).distinct().count();

        CostctlRun apply = costctl("prices", "apply", "../examples/catalog.yaml");

        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).endsWith(versions + " added, 0 updated, 0 unchanged; published " + models
                + " record(s) to " + topic + "\n");
        assertThat(latestByKey()).hasSize(models).containsKeys("openai/gpt-4o", "anthropic/claude-sonnet-4-5-20250929",
                "bedrock/amazon.nova-pro-v1:0", "together/meta-llama/Llama-3.3-70B-Instruct-Turbo");
        try (RestSchemaRegistryClient client = new RestSchemaRegistryClient(RegistryClientConfig.forUrl(registryUrl()))) {
            assertThat(client.subjects()).contains(topic + "-value");
        }

        CostctlRun list = costctl("--output", "json", "prices", "list", "--at", "2026-11-27T12:00:00Z");

        assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCodes.OK);
        JsonNode prices = Json.mapper().readTree(list.out()).get("prices");
        assertThat(prices).hasSize(models);
        JsonNode gpt4o = find(prices, "openai", "gpt-4o");
        assertThat(gpt4o.get("input_nanos_per_mtok").asLong()).isEqualTo(2_500_000_000L);
        assertThat(gpt4o.get("batch_output_nanos_per_mtok").asLong()).isEqualTo(5_000_000_000L);
        assertThat(gpt4o.get("price_version").asText()).isEqualTo("openai/gpt-4o@1970-01-01T00:00:00Z"); // the snapshot gives gpt-4o one undated price
        JsonNode sonnet = find(prices, "anthropic", "claude-sonnet-4-5-20250929");
        assertThat(sonnet.get("long_context").get("threshold_prompt_tokens").asLong()).isEqualTo(200_000L);
        assertThat(sonnet.get("long_context").get("input_nanos_per_mtok").asLong()).isEqualTo(6_000_000_000L);

        CostctlRun table = costctl("prices", "list", "--at", "2026-11-27T12:00:00Z");
        assertThat(table.out()).contains("openai/gpt-4o ").contains("$2.50  $10.00");
    }

    @Test
    void shouldPublishNothingWhenTheCatalogIsReappliedUnchanged() throws Exception {
        CostctlRun first = costctl("prices", "apply", "../examples/catalog.yaml");
        assertThat(first.exitCode()).as(first.err()).isEqualTo(ExitCodes.OK);
        long recordsAfterFirst = recordCount();

        CostctlRun again = costctl("prices", "apply", "../examples/catalog.yaml");

        assertThat(again.exitCode()).as(again.err()).isEqualTo(ExitCodes.OK);
        assertThat(again.out()).contains("0 added, 0 updated, ").contains(" unchanged; published 0 record(s)");
        assertThat(again.out()).doesNotContain(" added\n").doesNotContain(" updated\n");
        assertThat(recordCount()).isEqualTo(recordsAfterFirst);
    }

    @Test
    void shouldKeepTheOldVersionInSupersededWhenAPriceChanges() throws Exception {
        Path original = Files.writeString(dir.resolve("original.yaml"), catalog("2026-11-27T00:00:00Z", "2.50"));
        Path changed = Files.writeString(dir.resolve("changed.yaml"), catalog("2027-01-01T00:00:00Z", "2.00"));
        assertThat(costctl("prices", "apply", original.toString()).exitCode()).isEqualTo(ExitCodes.OK);

        CostctlRun apply = costctl("prices", "apply", changed.toString());

        assertThat(apply.exitCode()).as(apply.err()).isEqualTo(ExitCodes.OK);
        assertThat(apply.out()).contains("openai/gpt-4o  2027-01-01T00:00:00Z  updated");
        PriceEntry record = latestByKey().get("openai/gpt-4o");
        assertThat(record.getInputNanosPerMtok()).isEqualTo(2_000_000_000L);
        assertThat(record.getPriceVersion()).isEqualTo("openai/gpt-4o@2027-01-01T00:00:00Z");
        assertThat(record.getSuperseded()).extracting(PriceVersion::getPriceVersion)
                .containsExactly("openai/gpt-4o@2026-11-27T00:00:00Z");
        assertThat(record.getSuperseded().get(0).getInputNanosPerMtok()).isEqualTo(2_500_000_000L);

        assertThat(inputAt("2026-12-31T23:59:59Z")).isEqualTo(2_500_000_000L);
        assertThat(inputAt("2027-01-01T00:00:00Z")).isEqualTo(2_000_000_000L);
    }

    @Test
    void shouldExitWithThreeNamingTheRegistryWhenItIsNotListening() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        List<String> args = new ArrayList<>(List.of("prices", "apply", "../examples/catalog.yaml",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic-prices", topic, "--schema-registry-url", url));

        CostctlRun run = CostctlRun.of(args.toArray(String[]::new));

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).isEqualTo("costctl: schema registry is not reachable at " + url + " (connection refused)\n");
        assertThat(recordCount()).isZero();
    }

    @Test
    void shouldFailNamingATopicThatDoesNotExist() {
        topic = kafka.uniqueTopicName("no-such-prices");

        CostctlRun run = costctl("prices", "list");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: topic " + topic + " does not exist on Kafka at " + kafka.bootstrapServers()
                + " (./costmeter up creates costmeter's topics)\n");
    }

    private static int closedPort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private long inputAt(String instant) throws Exception {
        CostctlRun list = costctl("--output", "json", "prices", "list", "--at", instant);
        assertThat(list.exitCode()).as(list.err()).isEqualTo(ExitCodes.OK);
        return find(Json.mapper().readTree(list.out()).get("prices"), "openai", "gpt-4o").get("input_nanos_per_mtok").asLong();
    }

    private static String catalog(String effectiveFrom, String input) {
        return """
                as_of: 2026-11-27
                models:
                  - provider: openai
                    model: gpt-4o
                    effective_from: %s
                    input_per_mtok: "%s"
                    output_per_mtok: "10.00"
                    cache_read_per_mtok: "1.25"
                    source: "https://openai.com/api/pricing (read 2026-11-27)"
                """.formatted(effectiveFrom, input);
    }

    private CostctlRun costctl(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", registryUrl(),
                "--topic-prices", topic, "--timeout", "30"));
        return CostctlRun.of(all.toArray(String[]::new));
    }

    private static String registryUrl() {
        return registry.baseUri().toString();
    }

    /** The last record of every key on the topic, as compaction would keep it. */
    private Map<String, PriceEntry> latestByKey() throws Exception {
        AvroDeserializer<PriceEntry> deserializer = new AvroDeserializer<>(PriceEntry.class);
        deserializer.configure(Map.of(RegistryClientConfig.URL, registryUrl()), false);
        List<ConsumerRecord<String, PriceEntry>> records = kafka.readAll(topic, new StringDeserializer(), deserializer,
                (int) recordCount());
        Map<String, PriceEntry> latest = new HashMap<>();
        records.forEach(r -> latest.put(r.key(), r.value()));
        return latest;
    }

    /** How many records were ever written to the topic (the sum of its end offsets). */
    private long recordCount() throws Exception {
        Map<TopicPartition, OffsetSpec> request = kafka.admin().describeTopics(List.of(topic)).allTopicNames()
                .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets =
                kafka.admin().listOffsets(request).all().get(30, TimeUnit.SECONDS);
        return offsets.values().stream().mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
    }

    private static JsonNode find(JsonNode prices, String provider, String model) {
        for (JsonNode price : prices) {
            if (price.get("provider").asText().equals(provider) && price.get("model").asText().equals(model)) {
                return price;
            }
        }
        throw new AssertionError("No price for " + provider + "/" + model + " in " + prices);
    }
}
