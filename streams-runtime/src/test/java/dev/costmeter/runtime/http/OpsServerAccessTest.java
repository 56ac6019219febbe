package dev.costmeter.runtime.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.BearerTokens;
import dev.costmeter.runtime.auth.HttpTls;
import dev.costmeter.runtime.auth.TestKeystores;
import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.query.QueryRouter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may call an ops server: bearer tokens, scopes, open health, optional metrics auth, TLS. */
class OpsServerAccessTest {

    @TempDir
    Path dir;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private OpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        registry.close();
    }

    private ApiAccess tokens(String metrics) throws IOException {
        Path file = dir.resolve("tokens");
        Files.writeString(file, BearerTokens.hash("op-token") + " operator\n"
                + BearerTokens.hash("acme-token") + " tenant:acme\n"
                + BearerTokens.hash("prom-token") + " metrics\n");
        return ApiAccess.from(AppConfig.of("test", Map.of(ApiAccess.TOKENS_CONFIG, "file:" + file,
                ApiAccess.METRICS_CONFIG, metrics)));
    }

    private OpsServer start(ApiAccess access, Optional<HttpTls> tls) {
        server = OpsServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, registry, access, tls)
                // A route that shows whom it served, and refuses data of a tenant its caller may not read.
                .route("/v1/spend", request -> {
                    String tenant = request.query("tenant").orElse("acme");
                    request.caller().requireTenant(tenant, "the spend of tenant '" + tenant + "'");
                    return JsonResponse.ok(Map.of("tenant", tenant, "cost_nanos", 42));
                });
        return server;
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldAnswer401WithABearerChallengeWithoutAValidToken() throws Exception {
        start(tokens("open"), Optional.empty());

        HttpResponse<String> none = get("/v1/spend", null);
        HttpResponse<String> unknown = get("/v1/spend", "Bearer guessed");
        HttpResponse<String> basic = get("/v1/spend", "Basic b3AtdG9rZW46");

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"costmeter\"");
        assertThat(none.body()).doesNotContain("42");
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).contains("invalid_token"));
        assertThat(basic.statusCode()).isEqualTo(401);
    }

    @Test
    void shouldLetATenantReadItsOwnDataAndRefuseAnothersWith403AndNoData() throws Exception {
        start(tokens("open"), Optional.empty());

        HttpResponse<String> own = get("/v1/spend?tenant=acme", "Bearer acme-token");
        HttpResponse<String> other = get("/v1/spend?tenant=globex", "Bearer acme-token");
        HttpResponse<String> operator = get("/v1/spend?tenant=globex", "Bearer op-token");

        assertThat(own.statusCode()).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(403);
        assertThat(other.body()).doesNotContain("cost_nanos").doesNotContain("42");
        assertThat(operator.statusCode()).isEqualTo(200);
        assertThat(operator.body()).contains("globex");
    }

    @Test
    void shouldKeepHealthOpenAndMetricsOpenUnlessConfigured() throws Exception {
        start(tokens("open"), Optional.empty());
        assertThat(get("/health/live", null).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldProtectMetricsWhenConfigured() throws Exception {
        start(tokens("token"), Optional.empty());

        assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
        assertThat(get("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("/metrics", "Bearer acme-token").statusCode()).isEqualTo(403);
        assertThat(get("/metrics", "Bearer prom-token").statusCode()).isEqualTo(200);
        assertThat(get("/metrics", "Bearer op-token").statusCode()).isEqualTo(200);
        assertThat(get("/v1/spend", "Bearer prom-token").statusCode()).as("a metrics token reads no tenant").isEqualTo(403);
    }

    @Test
    void shouldRefuseToServeWithoutTokensOnANonLoopbackAddress() {
        assertThatThrownBy(() -> OpsServer.start("0.0.0.0", 0, () -> KafkaStreams.State.RUNNING, registry,
                ApiAccess.loopbackOnly(), Optional.empty()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("not a loopback address");
    }

    @Test
    void shouldServeHttpsAndForwardTheCallersTokenOverHttps() throws Exception {
        Path keystore = TestKeystores.localhost(dir);
        Map<String, String> tlsConfig = Map.of(HttpTls.KEYSTORE_CONFIG, keystore.toString(),
                HttpTls.KEYSTORE_PASSWORD_CONFIG, TestKeystores.PASSWORD);
        HttpTls tls = HttpTls.from(AppConfig.of("test", tlsConfig)).orElseThrow();
        start(tokens("open"), Optional.of(tls));

        KafkaStreams streams = unstartedStreams();
        try {
            QueryRouter router = new QueryRouter(streams, new HostInfo("localhost", 1),
                    HttpClient.newBuilder().sslContext(tls.client()).build(), Duration.ofSeconds(10), "https");
            HostInfo peer = new HostInfo("localhost", server.port());
            Request fromAcme = Request.of("GET", "/v1/spend", URI.create("/v1/spend?tenant=acme"),
                    dev.costmeter.runtime.auth.Caller.unrestricted(), "Bearer acme-token");
            Request acmeAsksForGlobex = Request.of("GET", "/v1/spend", URI.create("/v1/spend?tenant=globex"),
                    dev.costmeter.runtime.auth.Caller.unrestricted(), "Bearer acme-token");

            assertThat(router.forward(peer, fromAcme).path("tenant").asText()).isEqualTo("acme");
            assertThatThrownBy(() -> router.forward(peer, acmeAsksForGlobex))
                    .as("the peer checks the forwarded token again").isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> router.forward(peer, "/v1/spend?tenant=acme"))
                    .as("no identity, no answer").isInstanceOf(IllegalStateException.class).hasMessageContaining("refused");
        } finally {
            streams.close(Duration.ofSeconds(5));
        }
        assertThatThrownBy(() -> get("/health/live", null)).as("no plain HTTP on a TLS port").isInstanceOf(IOException.class);
    }

    @Test
    void shouldNameTheKeyOfAnUnusableKeystore() throws Exception {
        Path keystore = TestKeystores.localhost(dir);
        Map<String, String> wrongPassword = new HashMap<>(Map.of(HttpTls.KEYSTORE_CONFIG, keystore.toString(),
                HttpTls.KEYSTORE_PASSWORD_CONFIG, "not-the-password"));

        assertThatThrownBy(() -> HttpTls.from(AppConfig.of("test", wrongPassword)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(HttpTls.KEYSTORE_CONFIG)
                .hasMessageNotContaining("not-the-password");
        assertThatThrownBy(() -> HttpTls.from(AppConfig.of("test", Map.of(HttpTls.KEYSTORE_CONFIG, dir.resolve("none.p12").toString()))))
                .hasMessageContaining("cannot load");
    }

    private KafkaStreams unstartedStreams() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("spend", Consumed.with(Serdes.String(), Serdes.Long()).withName("spend-source"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ops-access-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("state").toString());
        return new KafkaStreams(builder.build(), props);
    }
}
