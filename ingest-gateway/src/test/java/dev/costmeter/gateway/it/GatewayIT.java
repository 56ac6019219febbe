package dev.costmeter.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.gateway.GatewayApp;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.BearerTokens;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroDeserializer;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.SchemaRegistryExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway on a real broker and registry with the real metering-stream in this JVM: what the
 * gateway takes in must come out of {@code llm.ledger.v1} priced, once.
 */
class GatewayIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);

    private static final String ACME_TOKEN = "acme-token-3f9c";
    private static final String OPERATOR_TOKEN = "operator-token-77d1";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;

    private static final Map<String, String> topics = new HashMap<>();
    private static ControlKeyPair keys;
    private static StreamsApp metering;
    private static GatewayApp gateway;

    @BeforeAll
    static void startMeteringAndTheGateway() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        for (String logical : List.of("usage", "task-outcomes", "ledger", "rollups", "usage-dlq", "price-corrections", "ledger-corrections")) {
            topics.put(logical, kafka.uniqueTopicName(logical));
            kafka.createTopic(topics.get(logical), 2);
        }
        for (String logical : List.of("prices", "control")) {
            topics.put(logical, kafka.uniqueTopicName(logical));
            kafka.createTopic(topics.get(logical), 1, Map.of("cleanup.policy", "compact"));
        }
        publishPrices(kafka);

        Map<String, String> meteringConfig = new HashMap<>(MeteringApp.defaults());
        topics.forEach((logical, name) -> meteringConfig.put("topic." + logical, name));
        meteringConfig.put("application.id", kafka.uniqueName("gateway-it-metering"));
        meteringConfig.put("bootstrap.servers", kafka.bootstrapServers());
        meteringConfig.put("schema.registry.url", REGISTRY.url());
        meteringConfig.put("http.host", "127.0.0.1");
        meteringConfig.put("http.port", "0");
        meteringConfig.put("application.server", "localhost:0");
        meteringConfig.put("streams.replication.factor", "1");
        meteringConfig.put("state.dir", dir.resolve("metering-state").toString());
        metering = MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, meteringConfig));
        metering.start();
        Awaitility.await("metering RUNNING").atMost(Duration.ofSeconds(120))
                .until(() -> metering.streams().state() == KafkaStreams.State.RUNNING);

        keys = ControlKeyPair.generate("gateway-it");
        Path tokens = dir.resolve("gateway-tokens");
        Files.writeString(tokens, BearerTokens.hash(ACME_TOKEN) + "  tenant:acme\n" + BearerTokens.hash(OPERATOR_TOKEN) + "  operator\n");
        Map<String, String> gatewayConfig = new HashMap<>(GatewayApp.defaults());
        topics.forEach((logical, name) -> gatewayConfig.put("topic." + logical, name));
        gatewayConfig.put("bootstrap.servers", kafka.bootstrapServers());
        gatewayConfig.put("schema.registry.url", REGISTRY.url());
        gatewayConfig.put("http.port", "0");
        gatewayConfig.put(ApiAccess.TOKENS_CONFIG, "file:" + tokens);
        gatewayConfig.put("control.verify.keys", keys.verifyKeyText());
        gateway = GatewayApp.start(AppConfig.of(GatewayApp.APP_NAME, gatewayConfig));
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (metering != null) {
            metering.close();
        }
    }

    /** Prices in nano-USD per million tokens; the expected costs below are computed by hand from them. */
    private static void publishPrices(KafkaCluster kafka) throws Exception {
        Map<String, Object> props = new HashMap<>(kafka.producerProps());
        props.put(RegistryClientConfig.URL, REGISTRY.url());
        AvroSerializer<PriceEntry> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        Instant from = Instant.now().minus(Duration.ofDays(1));
        try (KafkaProducer<String, PriceEntry> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            for (PriceEntry price : List.of(
                    price("openai", "gpt-4o", from, 2_500_000_000L, 10_000_000_000L, 1_250_000_000L, 0L),
                    price("anthropic", "claude-sonnet-4-6", from, 3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L),
                    price("google", "gemini-2.5-pro", from, 1_250_000_000L, 10_000_000_000L, 312_500_000L, 0L))) {
                producer.send(new ProducerRecord<>(topics.get("prices"), price.getProvider() + "/" + price.getModel(), price)).get();
            }
        }
    }

    private static PriceEntry price(String provider, String model, Instant from, long input, long output, long cacheRead, long cacheWrite) {
        return PriceEntry.newBuilder().setProvider(provider).setModel(model).setEffectiveFrom(from)
                .setInputNanosPerMtok(input).setOutputNanosPerMtok(output).setCacheReadNanosPerMtok(cacheRead)
                .setCacheWriteNanosPerMtok(cacheWrite).setPriceVersion(provider + "/" + model + "@gateway-it").build();
    }

    @Test
    void shouldChargeEveryGenAiCallSentThroughTheOtelSdkOnceToTheNanoUsdAlsoWhenTheBatchIsResent() throws Exception {
        RecordingExporter recording = new RecordingExporter(OtlpHttpSpanExporter.builder()
                .setEndpoint(gatewayUrl("/v1/traces")).addHeader("Authorization", "Bearer " + ACME_TOKEN).build());
        String conversation = "conv-" + UUID.randomUUID();
        try (SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(
                        AttributeKey.stringKey("service.name"), "support-bot",
                        AttributeKey.stringKey("costmeter.tenant_id"), "acme"))))
                .addSpanProcessor(SimpleSpanProcessor.create(recording)).build()) {
            Tracer tracer = provider.get("gateway-it");
            // OpenAI: 3,000 input of which 1,024 cached; 777 output of which 512 reasoning.
            call(tracer, conversation, "openai", "gpt-4o", Map.of("gen_ai.usage.input_tokens", 3_000L,
                    "gen_ai.usage.cache_read.input_tokens", 1_024L, "gen_ai.usage.output_tokens", 777L,
                    "gen_ai.usage.reasoning.output_tokens", 512L));
            // Anthropic, as the conventions count it: 12,345 input including 10,000 cache reads and 2,000 cache writes.
            call(tracer, conversation, "anthropic", "claude-sonnet-4-6", Map.of("gen_ai.usage.input_tokens", 12_345L,
                    "gen_ai.usage.cache_read.input_tokens", 10_000L, "gen_ai.usage.cache_creation.input_tokens", 2_000L,
                    "gen_ai.usage.output_tokens", 678L));
            // Gemini: 4,321 input of which 1,111 cached; 999 output of which 333 thinking.
            call(tracer, conversation, "gcp.gemini", "gemini-2.5-pro", Map.of("gen_ai.usage.input_tokens", 4_321L,
                    "gen_ai.usage.cache_read.input_tokens", 1_111L, "gen_ai.usage.output_tokens", 999L,
                    "gen_ai.usage.reasoning.output_tokens", 333L));
            // A tool span: no usage, counted and ignored.
            tracer.spanBuilder("execute_tool search").setAttribute("gen_ai.tool.name", "search").startSpan().end();
            assertThat(provider.forceFlush().join(30, TimeUnit.SECONDS).isSuccess()).as("the SDK's export succeeded").isTrue();
        }
        assertThat(recording.failures).as("exports the receiver refused").isEmpty();
        List<SpanData> batch = List.copyOf(recording.exported);
        assertThat(batch).hasSize(4);

        // Hand computation, each component tokens x rate / 10^6 rounded half-up (README, "Money"):
        // openai    input (3,000-1,024)=1,976 x 2.5 = 4,940 ; cache read 1,024 x 1.25 = 1,280 ; output 777 x 10 = 7,770  (micro-USD)
        //           = 4,940,000 + 1,280,000 + 7,770,000 = 13,990,000 nano-USD
        // anthropic input (12,345-10,000-2,000)=345 x 3 = 1,035,000 ; read 10,000 x 0.3 = 3,000,000 ;
        //           write 2,000 x 3.75 = 7,500,000 ; output 678 x 15 = 10,170,000  => 21,705,000
        // google    input (4,321-1,111)=3,210 x 1.25 = 4,012,500 ; read 1,111 x 0.3125 = 347,187.5 -> 347,188 ;
        //           output 999 x 10 = 9,990,000  => 14,349,688
        Map<String, Long> expected = Map.of("openai", 13_990_000L, "anthropic", 21_705_000L, "google", 14_349_688L);
        Map<String, PricedUsage> rows = awaitLedger(conversation, 3);
        assertThat(rows.values()).extracting(PricedUsage::getProvider).containsExactlyInAnyOrder("openai", "anthropic", "google");
        for (PricedUsage row : rows.values()) {
            assertThat(row.getPriced()).isTrue();
            assertThat(row.getCostNanos()).as(row.getProvider()).isEqualTo(expected.get(row.getProvider()));
            assertThat(row.getTenantId()).isEqualTo("acme");
            assertThat(row.getRoute()).isEqualTo("support-bot");
            assertThat(row.getLabels()).containsEntry("otel.attribute_set", "genai");
        }
        assertThat(rows.get(eventIdOf(batch, "anthropic")).getCacheWriteTokens()).isEqualTo(2_000);

        double deduplicatedBefore = deduplicated();
        OtlpHttpSpanExporter again = OtlpHttpSpanExporter.builder().setEndpoint(gatewayUrl("/v1/traces"))
                .addHeader("Authorization", "Bearer " + ACME_TOKEN).build();
        assertThat(again.export(batch).join(30, TimeUnit.SECONDS).isSuccess()).as("the re-sent batch is accepted").isTrue();
        again.shutdown();
        Awaitility.await("metering dropped the three re-sent calls as duplicates").atMost(Duration.ofSeconds(60))
                .until(() -> deduplicated() >= deduplicatedBefore + 3);
        assertThat(ledgerRowsOf(conversation)).as("ledger rows after the re-send").hasSize(3);
    }

    @Test
    void shouldLedgerTheValidEventsOfAJsonBatchOnceAndRefuseTheInvalidOneWithItsReason() throws Exception {
        String task = "task-" + UUID.randomUUID();
        String batch = "[" + usage(task, task + "-1", 1_000) + "," + usage(task, task + "-2", -5) + "," + usage(task, task + "-3", 2_000) + "]";

        HttpResponse<String> first = post("/v1/usage", "application/json", batch, ACME_TOKEN);
        assertThat(first.statusCode()).isEqualTo(422);
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.path("written").asInt()).isEqualTo(2);
        assertThat(body.path("events").get(1).path("status").asText()).isEqualTo("refused");
        assertThat(body.path("events").get(1).path("reason").asText()).contains("input_tokens -5 is negative");

        // 1,000 x 2.5 + 100 x 10 = 3,500 micro-USD; 2,000 x 2.5 + 100 x 10 = 6,000 micro-USD.
        Map<String, PricedUsage> rows = awaitLedger(task, 2);
        assertThat(rows.get(task + "-1").getCostNanos()).isEqualTo(3_500_000L);
        assertThat(rows.get(task + "-3").getCostNanos()).isEqualTo(6_000_000L);

        double deduplicatedBefore = deduplicated();
        assertThat(post("/v1/usage", "application/json", batch, ACME_TOKEN).statusCode()).isEqualTo(422);
        Awaitility.await("the re-posted valid events dropped as duplicates").atMost(Duration.ofSeconds(60))
                .until(() -> deduplicated() >= deduplicatedBefore + 2);
        assertThat(ledgerRowsOf(task)).hasSize(2);

        assertThat(post("/v1/usage", "application/json", usage(task, task + "-4", 1).replace("acme", "globex"), ACME_TOKEN)
                .statusCode()).as("a tenant token writing another tenant's usage").isEqualTo(403);
        assertThat(post("/v1/usage", "application/json", usage(task, task + "-5", 1), null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldShowANodeClientASignedBlockThroughTheSwitchStreamAndTheCheckEndpoint() throws Exception {
        Assumptions.assumeTrue(onPath("node"), "node is not on the PATH: the Node switch client is not run on this machine");
        String scope = "task:runaway-" + UUID.randomUUID();
        Path out = dir.resolve("switch-watch.out");
        Path err = dir.resolve("switch-watch.err");
        ProcessBuilder node = new ProcessBuilder("nice", "-n", "19", "node",
                Path.of("src/test/node/switch-watch.js").toAbsolutePath().toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        node.environment().putAll(Map.of("STREAM_URL", gatewayUrl("/v1/switches/stream"), "TOKEN", ACME_TOKEN,
                "VERIFY_KEYS", keys.verifyKeyText(), "SCOPE", scope, "WATCH_TIMEOUT_MS", "60000"));
        Process watcher = node.start();
        try {
            Awaitility.await("the Node client connected").atMost(Duration.ofSeconds(60))
                    .until(() -> Files.exists(out) && Files.readString(out).contains("\"connected\":true"));

            long issuedAt = System.currentTimeMillis();
            ControlCommand block = CommandSigner.sign(ControlCommand.newBuilder().setScope(scope).setAction(SwitchAction.BLOCK)
                    .setReason("gateway-it: runaway task").setIssuedAt(Instant.ofEpochMilli(issuedAt)).setIssuer("operator:gateway-it")
                    .setSequence(issuedAt * 1_000).setKeyId("").setSignature("").setAlgorithm("Ed25519").build(), keys.signingKey());
            publish(block);

            assertThat(watcher.waitFor(60, TimeUnit.SECONDS)).as("the Node client saw the BLOCK").isTrue();
            assertThat(watcher.exitValue()).as("node exit; stderr: %s", Files.readString(err)).isZero();
            JsonNode seen = JSON.readTree(Files.readAllLines(out).stream().filter(l -> l.contains(scope)).reduce((a, b) -> b).orElseThrow());
            assertThat(seen.path("verified").asBoolean()).as("the Node client verified the signature itself").isTrue();
            assertThat(seen.path("action").asText()).isEqualTo("BLOCK");
            System.out.println("GatewayIT: the Node client received the BLOCK " + seen.path("latency_ms").asLong()
                    + " ms after it was issued (issue #18 asks for under a second; recorded, not asserted)");

            String check = "/v1/switches/check?tenant=acme&route=chat&task=" + scope.substring("task:".length());
            Awaitility.await("the check endpoint answers BLOCK").atMost(Duration.ofSeconds(30))
                    .until(() -> JSON.readTree(get(check, ACME_TOKEN).body()).path("decision").asText().equals("BLOCK"));
            assertThat(get("/v1/switches/check?tenant=globex&task=x", ACME_TOKEN).statusCode())
                    .as("a tenant token asking for another tenant").isEqualTo(403);
        } finally {
            watcher.destroyForcibly();
        }
    }

    private static void call(Tracer tracer, String conversation, String provider, String model, Map<String, Long> usage) {
        Span span = tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat").setAttribute("gen_ai.provider.name", provider)
                .setAttribute("gen_ai.request.model", model).setAttribute("gen_ai.conversation.id", conversation).startSpan();
        usage.forEach(span::setAttribute);
        span.end();
    }

    private static String eventIdOf(List<SpanData> batch, String provider) {
        SpanData span = batch.stream().filter(s -> provider.equals(s.getAttributes().get(AttributeKey.stringKey("gen_ai.provider.name"))))
                .findFirst().orElseThrow();
        return "otel:" + span.getTraceId() + ":" + span.getSpanId();
    }

    private static String usage(String task, String eventId, long inputTokens) {
        return "{\"event_id\":\"" + eventId + "\",\"event_time\":" + System.currentTimeMillis() + ",\"tenant_id\":\"acme\","
                + "\"task_id\":\"" + task + "\",\"task_class\":\"http-ingest\",\"route\":\"chat\",\"provider\":\"openai\","
                + "\"model\":\"gpt-4o\",\"input_tokens\":" + inputTokens + ",\"output_tokens\":100}";
    }

    /** The ledger rows of one task (the ledger is keyed by event id), waiting until {@code count} are there. */
    private static Map<String, PricedUsage> awaitLedger(String task, int count) {
        Map<String, PricedUsage> rows = new HashMap<>();
        Awaitility.await("ledger rows of " + task).atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            rows.clear();
            ledgerRowsOf(task).forEach(row -> rows.put(row.getEventId(), row));
            return rows.size() >= count;
        });
        return rows;
    }

    /** Every committed ledger row of one task, reading each partition to its end offset now. */
    private static List<PricedUsage> ledgerRowsOf(String task) {
        AvroDeserializer<PricedUsage> values = new AvroDeserializer<>(PricedUsage.class);
        values.configure(Map.of(RegistryClientConfig.URL, REGISTRY.url()), false);
        Map<String, Object> props = new HashMap<>(KAFKA.cluster().consumerProps(KAFKA.cluster().uniqueName("ledger-reader")));
        List<PricedUsage> rows = new ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<>(props, new StringDeserializer(), values)) {
            var partitions = consumer.partitionsFor(topics.get("ledger")).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (record.value() != null && record.value().getTaskId().equals(task)) {
                        rows.add(record.value());
                    }
                });
            }
        }
        return rows;
    }

    private static double deduplicated() {
        return metering.meterRegistry().find("costmeter.metering.deduplicated").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    private static void publish(ControlCommand command) throws Exception {
        Map<String, Object> props = new HashMap<>(KAFKA.cluster().producerProps());
        props.put(RegistryClientConfig.URL, REGISTRY.url());
        AvroSerializer<ControlCommand> serializer = new AvroSerializer<>();
        serializer.configure(props, false);
        try (KafkaProducer<String, ControlCommand> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.send(new ProducerRecord<>(topics.get("control"), command.getScope(), command)).get();
        }
    }

    private static String gatewayUrl(String path) {
        return "http://127.0.0.1:" + gateway.port() + path;
    }

    private static HttpResponse<String> post(String path, String contentType, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl(path))).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String token) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl(path))).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }

    /** Exports through the real OTLP exporter and keeps what it exported, to send the very same batch again. */
    private static final class RecordingExporter implements SpanExporter {
        final List<SpanData> exported = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final SpanExporter delegate;

        RecordingExporter(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            CompletableResultCode result = delegate.export(spans);
            result.whenComplete(() -> {
                if (result.isSuccess()) {
                    exported.addAll(spans);
                } else {
                    failures.add(spans.stream().map(SpanData::getName).collect(Collectors.joining(",")));
                }
            });
            return result;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }
}
