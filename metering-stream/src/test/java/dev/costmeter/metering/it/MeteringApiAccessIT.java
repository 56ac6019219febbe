package dev.costmeter.metering.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.UsageEvent;
import dev.costmeter.metering.MeteringApp;
import dev.costmeter.metering.MeteringTopology;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.BearerTokens;
import dev.costmeter.runtime.auth.HttpTls;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import dev.costmeter.schemas.registry.RegistryClientConfig;
import dev.costmeter.schemas.serde.AvroSerializer;
import dev.costmeter.testkit.KafkaCluster;
import dev.costmeter.testkit.KafkaClusterExtension;
import dev.costmeter.testkit.SchemaRegistryExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two metering instances serving their query API over HTTPS with bearer tokens, on a real broker
 * and the real registry: every query route, asked of either instance (so that about half the key
 * queries are forwarded to the other, carrying the caller's token), answers 401 without a token,
 * 403 with no data when a tenant token asks for another tenant's spend, task or top tasks, and
 * everything to an operator token. Leaks (a 200 that shows another tenant's data) are counted over
 * every request and must be 0.
 */
class MeteringApiAccessIT {

    @RegisterExtension
    static final KafkaClusterExtension KAFKA = KafkaClusterExtension.singleBroker();
    @RegisterExtension
    static final SchemaRegistryExtension REGISTRY = SchemaRegistryExtension.on(KAFKA);

    private static final int TASKS = 30;
    private static final int CALLS_PER_TASK = 4;
    private static final long COST_PER_CALL = 10_000_000L;
    private static final List<String> TENANTS = List.of("acme", "globex", "initech");
    private static final Map<String, String> TOKENS = Map.of("acme", "acme-7f3c", "globex", "globex-91ab",
            "initech", "initech-0d2e", "operator", "op-5e6f");

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();
    private HttpClient https;
    private int requests;
    private final List<String> leaks = new ArrayList<>();

    @Test
    void shouldServeEachTenantOnlyItsOwnDataFromEitherInstance() throws Exception {
        KafkaCluster kafka = KAFKA.cluster();
        Map<String, String> config = baseConfig(kafka);
        https = HttpClient.newBuilder().sslContext(HttpTls.from(AppConfig.of("client", config)).orElseThrow().client())
                .connectTimeout(Duration.ofSeconds(5)).build();

        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> registryConfig = Map.of(RegistryClientConfig.URL, REGISTRY.url());
        try (KafkaProducer<String, PriceEntry> producer = producer(kafka, registryConfig)) {
            producer.send(new ProducerRecord<>(config.get("topic.prices"), "openai/gpt-4o", PriceEntry.newBuilder()
                    .setProvider("openai").setModel("gpt-4o").setEffectiveFrom(now.minus(Duration.ofDays(1)))
                    .setInputNanosPerMtok(2_500_000_000L).setOutputNanosPerMtok(10_000_000_000L)
                    .setPriceVersion("openai/gpt-4o@test").build())).get();
        }

        try (StreamsApp first = app(config, "a"); StreamsApp second = app(config, "b")) {
            first.start();
            second.start();
            await(() -> first.streams().state() == KafkaStreams.State.RUNNING
                    && second.streams().state() == KafkaStreams.State.RUNNING, "both instances RUNNING");

            Map<String, String> tenantOfTask = new LinkedHashMap<>();
            Map<String, Long> spendOf = new HashMap<>();
            try (KafkaProducer<String, UsageEvent> producer = producer(kafka, registryConfig)) {
                for (int t = 0; t < TASKS; t++) {
                    String tenant = TENANTS.get(t % TENANTS.size());
                    String task = "task-" + t;
                    tenantOfTask.put(task, tenant);
                    for (int c = 0; c < CALLS_PER_TASK; c++) {
                        UsageEvent event = UsageEvent.newBuilder().setEventId(task + "-call-" + c)
                                .setEventTime(now.plusMillis(t * 100L + c)).setTenantId(tenant).setTaskId(task)
                                .setTaskClass("support-answer").setRoute("chat").setProvider("openai").setModel("gpt-4o")
                                .setInputTokens(2_000).setOutputTokens(500).setStatus(CallStatus.OK).build();
                        producer.send(new ProducerRecord<>(config.get("topic.usage"), task, event));
                        spendOf.merge(tenant, COST_PER_CALL, Long::sum);
                    }
                }
                producer.flush();
            }
            String day = now.truncatedTo(ChronoUnit.DAYS).toString().substring(0, 10);
            String spendWindow = "&granularity=day&from=" + day + "&to=" + now.truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
            List<StreamsApp> instances = List.of(first, second);

            // Wait until an operator sees everything through both instances.
            for (StreamsApp asked : instances) {
                for (String tenant : TENANTS) {
                    await(() -> body(asked, "/v1/spend?dimension=tenant&scope=" + tenant + spendWindow, "operator")
                            .path("total").path("cost_nanos").asLong() == spendOf.get(tenant), "spend of " + tenant);
                }
                await(() -> body(asked, "/v1/top-tasks?day=" + day + "&limit=1000", "operator").path("tasks").size() == TASKS,
                        "all tasks in the top list");
            }
            int forwardedTasks = 0;
            for (String task : tenantOfTask.keySet()) {
                int owner = first.streams().queryMetadataForKey(MeteringTopology.TASK_STORE, task, Serdes.String().serializer())
                        .activeHost().port();
                forwardedTasks += owner == second.httpPort() ? 1 : 0;
            }
            assertThat(forwardedTasks).as("tasks owned by the second instance").isBetween(1, TASKS - 1);

            List<String> everyRoute = List.of("/v1/spend?dimension=tenant&scope=acme" + spendWindow, "/v1/tasks/task-0",
                    "/v1/top-tasks?day=" + day, "/v1/task-classes/support-answer/models",
                    "/v1/levers?dimension=tenant&scope=acme" + spendWindow, "/v1/envelope?dimension=tenant&scope=acme");
            for (StreamsApp asked : instances) {
                // No token, or a token nobody issued: 401 on every route, with the bearer challenge.
                for (String path : everyRoute) {
                    for (String token : new String[] {null, "guessed-token"}) {
                        HttpResponse<String> answer = send(asked, path, token);
                        assertThat(answer.statusCode()).as(path + " with token " + token).isEqualTo(401);
                        assertThat(answer.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
                        assertNoData(answer, path);
                    }
                }
                // Health stays open.
                assertThat(send(asked, "/health/live", null).statusCode()).isEqualTo(200);

                for (String caller : TENANTS) {
                    String token = TOKENS.get(caller);
                    // Its own spend: exactly its own.
                    JsonNode own = body(asked, "/v1/spend?dimension=tenant&scope=" + caller + spendWindow, token);
                    assertThat(own.path("total").path("cost_nanos").asLong()).isEqualTo(spendOf.get(caller));
                    // Its own levers and envelope, from the same day windows, forwarded to their owner or not.
                    assertThat(body(asked, "/v1/levers?dimension=tenant&scope=" + caller + spendWindow, token)
                            .path("total").path("cost_nanos").asLong()).isEqualTo(spendOf.get(caller));
                    assertThat(body(asked, "/v1/envelope?dimension=tenant&scope=" + caller, token).path("spent_nanos").asLong())
                            .isEqualTo(spendOf.get(caller));
                    // Its own top tasks: all of them and only them, wherever they live.
                    JsonNode top = body(asked, "/v1/top-tasks?day=" + day + "&limit=1000", token);
                    long ownTasks = tenantOfTask.values().stream().filter(caller::equals).count();
                    assertThat(top.path("tasks")).hasSize((int) ownTasks);
                    top.path("tasks").forEach(task -> {
                        if (!caller.equals(task.path("tenant_id").asText())) {
                            leaks.add(caller + " saw " + task.path("task_id").asText() + " in top tasks");
                        }
                    });
                    assertThat(body(asked, "/v1/top-tasks?day=" + day + "&tenant=" + caller, token).path("tasks")).isNotEmpty();

                    for (String other : TENANTS) {
                        if (!other.equals(caller)) {
                            expectRefused(asked, "/v1/spend?dimension=tenant&scope=" + other + spendWindow, token, caller);
                            expectRefused(asked, "/v1/top-tasks?day=" + day + "&tenant=" + other, token, caller);
                            expectRefused(asked, "/v1/levers?dimension=tenant&scope=" + other + spendWindow, token, caller);
                            expectRefused(asked, "/v1/envelope?dimension=tenant&scope=" + other, token, caller);
                        }
                    }
                    // Spend that mixes tenants, and the models of a kind of work: operators only.
                    for (String dimension : List.of("route&scope=chat", "model&scope=openai/gpt-4o",
                            "task_class&scope=support-answer", "prompt_version&scope=v1")) {
                        expectRefused(asked, "/v1/spend?dimension=" + dimension + spendWindow, token, caller);
                        expectRefused(asked, "/v1/levers?dimension=" + dimension + spendWindow, token, caller);
                        expectRefused(asked, "/v1/envelope?dimension=" + dimension, token, caller);
                    }
                    expectRefused(asked, "/v1/task-classes/support-answer/models", token, caller);
                    // Tasks: its own readable (forwarded or not), every other tenant's refused, and a
                    // task that does not exist refused alike (no existence oracle).
                    for (Map.Entry<String, String> task : tenantOfTask.entrySet()) {
                        String path = "/v1/tasks/" + task.getKey();
                        if (task.getValue().equals(caller)) {
                            assertThat(body(asked, path, token).path("tenant_id").asText()).isEqualTo(caller);
                        } else {
                            expectRefused(asked, path, token, caller);
                            expectRefused(asked, path + "?local=true", token, caller);
                        }
                    }
                    expectRefused(asked, "/v1/tasks/no-such-task", token, caller);
                }

                // The operator reads everything.
                String operator = TOKENS.get("operator");
                assertThat(body(asked, "/v1/spend?dimension=route&scope=chat" + spendWindow, operator)
                        .path("total").path("cost_nanos").asLong()).isEqualTo(TASKS * CALLS_PER_TASK * COST_PER_CALL);
                assertThat(body(asked, "/v1/levers?dimension=route&scope=chat" + spendWindow, operator)
                        .path("total").path("cost_nanos").asLong()).isEqualTo(TASKS * CALLS_PER_TASK * COST_PER_CALL);
                assertThat(body(asked, "/v1/envelope?dimension=route&scope=chat", operator).path("spent_nanos").asLong())
                        .isEqualTo(TASKS * CALLS_PER_TASK * COST_PER_CALL);
                assertThat(body(asked, "/v1/task-classes/support-answer/models", operator).path("task_class").asText())
                        .isEqualTo("support-answer");
                for (String task : tenantOfTask.keySet()) {
                    assertThat(body(asked, "/v1/tasks/" + task, operator).path("calls").asLong()).isEqualTo(CALLS_PER_TASK);
                }
                assertThat(send(asked, "/v1/tasks/no-such-task", operator).statusCode()).isEqualTo(404);
            }
            System.out.printf("MeteringApiAccessIT: %d requests over both instances (%d of %d tasks owned by the second),"
                    + " %d leaks%n", requests, forwardedTasks, TASKS, leaks.size());
            assertThat(leaks).as("answers that showed another tenant's data").isEmpty();
        }
    }

    @Test
    void shouldRefuseToStartWithAnUnusableAccessConfiguration() throws Exception {
        Map<String, String> config = baseConfig(KAFKA.cluster());
        Map<String, String> exposedWithoutTokens = new HashMap<>(config);
        exposedWithoutTokens.remove(ApiAccess.TOKENS_CONFIG);
        exposedWithoutTokens.put("http.host", "0.0.0.0");
        Map<String, String> missingTokenFile = new HashMap<>(config);
        missingTokenFile.put(ApiAccess.TOKENS_CONFIG, "file:" + dir.resolve("absent"));

        for (Map<String, String> bad : List.of(exposedWithoutTokens, missingTokenFile)) {
            bad.put("state.dir", dir.resolve("bad-state").toString());
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, bad)))
                    .isInstanceOf(org.apache.kafka.common.config.ConfigException.class)
                    .satisfies(e -> System.out.println("MeteringApiAccessIT: refused at start: " + e.getMessage()));
        }
    }

    private void expectRefused(StreamsApp asked, String path, String token, String caller) throws Exception {
        HttpResponse<String> answer = send(asked, path, token);
        if (answer.statusCode() == 200) {
            leaks.add(caller + " read " + path + " from port " + asked.httpPort() + ": " + answer.body());
            return;
        }
        assertThat(answer.statusCode()).as(caller + " asking " + path).isEqualTo(403);
        assertNoData(answer, path);
    }

    private void assertNoData(HttpResponse<String> answer, String path) throws Exception {
        JsonNode body = json.readTree(answer.body());
        assertThat(body.fieldNames()).toIterable().as("fields of the refusal of " + path).containsOnly("error", "retryable");
        assertThat(body.path("error").asText()).doesNotContain("cost_nanos").doesNotContain("tenant_id");
    }

    private JsonNode body(StreamsApp app, String path, String token) throws Exception {
        HttpResponse<String> response = send(app, path, token);
        if (response.statusCode() != 200) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    private HttpResponse<String> send(StreamsApp app, String path, String token) throws Exception {
        requests++;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://localhost:" + app.httpPort() + path))
                .timeout(Duration.ofSeconds(15));
        if (token != null) {
            request.header("Authorization", "Bearer " + (TOKENS.containsKey(token) ? TOKENS.get(token) : token));
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, String> baseConfig(KafkaCluster kafka) throws Exception {
        Map<String, String> config = new HashMap<>(MeteringApp.defaults());
        for (String logical : List.of("usage", "task-outcomes", "ledger", "rollups", "usage-dlq", "price-corrections", "ledger-corrections")) {
            String name = kafka.uniqueTopicName(logical);
            kafka.createTopic(name, 4);
            config.put("topic." + logical, name);
        }
        String prices = kafka.uniqueTopicName("prices");
        kafka.createTopic(prices, 1, Map.of("cleanup.policy", "compact"));
        config.put("topic.prices", prices);
        Path tokens = dir.resolve("api-tokens");
        StringBuilder lines = new StringBuilder("# sha256(token)  scopes\n");
        TOKENS.forEach((who, token) -> lines.append(BearerTokens.hash(token)).append("  ")
                .append(who.equals("operator") ? "operator" : "tenant:" + who).append('\n'));
        Files.writeString(tokens, lines);
        config.put(ApiAccess.TOKENS_CONFIG, "file:" + tokens);
        config.put(HttpTls.KEYSTORE_CONFIG, keystore().toString());
        config.put(HttpTls.KEYSTORE_PASSWORD_CONFIG, KEYSTORE_PASSWORD);
        config.put("application.id", kafka.uniqueName("metering-access-it"));
        config.put("bootstrap.servers", kafka.bootstrapServers());
        config.put("schema.registry.url", REGISTRY.url());
        config.put("http.host", "127.0.0.1");
        config.put("http.port", "0");
        // Peers are asked at https://localhost:<port>, a name the certificate carries.
        config.put("application.server", "localhost:0");
        config.put("streams.replication.factor", "1");
        return config;
    }

    private StreamsApp app(Map<String, String> base, String instance) {
        Map<String, String> config = new HashMap<>(base);
        config.put("state.dir", dir.resolve("state-" + instance).toString());
        return MeteringApp.create(AppConfig.of(MeteringApp.APP_NAME, config));
    }

    private static final String KEYSTORE_PASSWORD = "it-keystore-pass";

    /** One self-signed certificate for localhost that both instances serve and trust, made with keytool. */
    private Path keystore() throws Exception {
        Path store = dir.resolve("http.p12");
        if (Files.exists(store)) {
            return store;
        }
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "http", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-storetype", "PKCS12",
                "-keystore", store.toString(), "-storepass", KEYSTORE_PASSWORD, "-keypass", KEYSTORE_PASSWORD)
                .redirectErrorStream(true).start();
        byte[] output = keytool.getInputStream().readAllBytes();
        if (!keytool.waitFor(60, TimeUnit.SECONDS) || keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed: " + new String(output));
        }
        return store;
    }

    private static <V extends org.apache.avro.specific.SpecificRecord> KafkaProducer<String, V> producer(KafkaCluster kafka,
            Map<String, Object> registryConfig) {
        AvroSerializer<V> serializer = new AvroSerializer<>();
        serializer.configure(registryConfig, false);
        return new KafkaProducer<>(kafka.producerProps(), new StringSerializer(), serializer);
    }

    private static void await(Callable<Boolean> condition, String what) {
        Awaitility.await(what).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(condition);
    }
}
