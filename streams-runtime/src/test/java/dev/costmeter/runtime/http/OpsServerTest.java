package dev.costmeter.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.runtime.query.StateNotQueryableException;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams.State;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StateStoreMigratedException;
import org.apache.kafka.streams.errors.StreamsNotStartedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RETRY_BODY =
            "{\"error\":\"state not queryable yet (rebalancing or restoring); retry\",\"retryable\":true}";

    private final AtomicReference<State> state = new AtomicReference<>(State.CREATED);
    private final HttpClient http = HttpClient.newHttpClient();
    private PrometheusMeterRegistry registry;
    private OpsServer server;

    record Spend(String tenant, long costNanos, Instant windowStart, Optional<String> model) {
    }

    @BeforeEach
    void startServer() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = OpsServer.start("127.0.0.1", 0, state::get, registry);
    }

    @AfterEach
    void stopServer() {
        server.close();
        registry.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send("GET", path);
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    @Test
    void shouldAnswerNotReadyUntilRunning() throws Exception {
        HttpResponse<String> created = get("/health/ready");
        state.set(State.REBALANCING);
        HttpResponse<String> rebalancing = get("/health/ready");
        state.set(State.RUNNING);
        HttpResponse<String> running = get("/health/ready");

        assertThat(created.statusCode()).isEqualTo(503);
        assertThat(rebalancing.statusCode()).isEqualTo(503);
        assertThat(rebalancing.body()).isEqualTo("{\"status\":\"NOT_READY\",\"state\":\"REBALANCING\"}");
        assertThat(rebalancing.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).isEqualTo("{\"status\":\"UP\",\"state\":\"RUNNING\"}");
    }

    @Test
    void shouldAnswerLiveUnlessTheClientIsDead() throws Exception {
        state.set(State.REBALANCING);
        HttpResponse<String> rebalancing = get("/health/live");
        state.set(State.RUNNING);
        HttpResponse<String> running = get("/health/live");
        state.set(State.PENDING_ERROR);
        HttpResponse<String> pendingError = get("/health/live");
        state.set(State.ERROR);
        HttpResponse<String> error = get("/health/live");
        state.set(State.NOT_RUNNING);
        HttpResponse<String> notRunning = get("/health/live");

        assertThat(rebalancing.statusCode()).isEqualTo(200);
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).isEqualTo("{\"status\":\"UP\",\"state\":\"RUNNING\"}");
        assertThat(pendingError.statusCode()).isEqualTo(503);
        assertThat(error.statusCode()).isEqualTo(503);
        assertThat(error.body()).isEqualTo("{\"status\":\"DOWN\",\"state\":\"ERROR\"}");
        assertThat(notRunning.statusCode()).isEqualTo(503);
    }

    @Test
    void shouldServePrometheusText() throws Exception {
        registry.counter("costmeter.test.events", "kind", "usage").increment(3);

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        assertThat(metrics.body()).contains("# TYPE costmeter_test_events_total counter")
                .contains("costmeter_test_events_total{kind=\"usage\"} 3.0");
    }

    @Test
    void shouldRejectOtherMethodsOnOpsEndpointsAndUnknownPaths() throws Exception {
        HttpResponse<String> post = send("POST", "/health/ready");
        HttpResponse<String> unknown = get("/nope");
        HttpResponse<String> below = get("/health/ready/extra");

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"error\":\"no route for /nope\",\"retryable\":false}");
        assertThat(below.statusCode()).isEqualTo(404);
    }

    @Test
    void shouldSerialiseRouteBodiesWithInstantsAsIsoStrings() throws Exception {
        server.route("/costs", request -> JsonResponse.ok(Map.of(
                "spend", new Spend(request.routeSegments().get(1), 2_500_000_000L,
                        Instant.parse("2025-01-31T12:00:00Z"), Optional.empty()),
                "segments", request.segments(),
                "granularity", request.query("granularity").orElse("none"),
                "local", request.localOnly(),
                "method", request.method())));

        HttpResponse<String> response = get("/costs/tenant/acme%20corp?granularity=HOUR&local=true");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.at("/spend/tenant").asText()).isEqualTo("acme corp");
        assertThat(body.at("/spend/costNanos").asLong()).isEqualTo(2_500_000_000L);
        assertThat(body.at("/spend/windowStart").asText()).isEqualTo("2025-01-31T12:00:00Z");
        assertThat(body.at("/spend/model").isNull()).isTrue();
        assertThat(body.at("/segments").toString()).isEqualTo("[\"costs\",\"tenant\",\"acme corp\"]");
        assertThat(body.at("/granularity").asText()).isEqualTo("HOUR");
        assertThat(body.at("/local").asBoolean()).isTrue();
        assertThat(body.at("/method").asText()).isEqualTo("GET");
    }

    @Test
    void shouldServeOnlyThePrefixAndPathsBelowIt() throws Exception {
        server.route("/costs/", request -> JsonResponse.ok(List.of(request.path())));

        assertThat(get("/costs").statusCode()).isEqualTo(200);
        assertThat(get("/costs/x").statusCode()).isEqualTo(200);
        assertThat(get("/costsx").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldAnswerRetryable503WhenStateIsNotQueryable() throws Exception {
        server.route("/rebalancing", request -> {
            throw new InvalidStateStoreException("store rollups is migrating");
        });
        server.route("/migrated", request -> {
            throw new StateStoreMigratedException("migrated");
        });
        server.route("/not-started", request -> {
            throw new StreamsNotStartedException("not started");
        });
        server.route("/peer", request -> {
            throw new StateNotQueryableException("peer did not answer");
        });

        for (String path : List.of("/rebalancing", "/migrated", "/not-started", "/peer")) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(503);
            assertThat(response.headers().firstValue("Retry-After")).as(path).hasValue("1");
            assertThat(response.body()).as(path).isEqualTo(RETRY_BODY);
        }
    }

    @Test
    void shouldMapClientErrorsTo400And404() throws Exception {
        server.route("/bad", request -> {
            throw new IllegalArgumentException("granularity must be one of MINUTE, HOUR, DAY");
        });
        server.route("/missing", request -> {
            throw new NoSuchElementException("no spend for tenant acme");
        });
        server.route("/missing-quietly", request -> Optional.empty().map(JsonResponse::ok).orElseThrow());

        HttpResponse<String> bad = get("/bad");
        HttpResponse<String> missing = get("/missing");
        HttpResponse<String> quiet = get("/missing-quietly");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body())
                .isEqualTo("{\"error\":\"granularity must be one of MINUTE, HOUR, DAY\",\"retryable\":false}");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).isEqualTo("{\"error\":\"no spend for tenant acme\",\"retryable\":false}");
        assertThat(quiet.statusCode()).isEqualTo(404);
        assertThat(json(quiet).get("error").asText()).isEqualTo("No value present");
    }

    @Test
    void shouldAnswerAGeneric500WithoutStackTrace() throws Exception {
        server.route("/boom", request -> {
            throw new IllegalStateException("secret internals at dev.costmeter.Foo");
        });
        server.route("/unserialisable", request -> JsonResponse.ok(new Object() {
            public String getValue() {
                throw new IllegalStateException("cannot read");
            }
        }));

        HttpResponse<String> boom = get("/boom");
        HttpResponse<String> unserialisable = get("/unserialisable");

        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).isEqualTo("{\"error\":\"internal error\",\"retryable\":false}");
        assertThat(unserialisable.statusCode()).isEqualTo(500);
        assertThat(unserialisable.body()).isEqualTo("{\"error\":\"internal error\",\"retryable\":false}");
    }

    @Test
    void shouldPassStatusAndMethodThroughRoutes() throws Exception {
        server.route("/echo", request -> new JsonResponse(202, Map.of("method", request.method())));

        HttpResponse<String> response = send("POST", "/echo");

        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(response.body()).isEqualTo("{\"method\":\"POST\"}");
    }

    @Test
    void shouldRefuseReservedOrMalformedPrefixes() {
        assertThatThrownBy(() -> server.route("/health", request -> JsonResponse.ok("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.route("/metrics/x", request -> JsonResponse.ok("x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> server.route("costs", request -> JsonResponse.ok("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldStopAnsweringWhenClosed() throws Exception {
        int port = server.port();
        server.close();

        assertThatThrownBy(() -> http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/live"))
                .build(), HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
    }
}
