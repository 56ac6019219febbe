package dev.costmeter.runtime.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.runtime.http.JsonResponse;
import dev.costmeter.runtime.http.OpsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryRouterTest {

    @TempDir
    Path stateDir;

    private PrometheusMeterRegistry registry;
    private OpsServer peer;
    private KafkaStreams streams;
    private QueryRouter router;

    @BeforeEach
    void setUp() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        peer = OpsServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, registry)
                .route("/echo", request -> JsonResponse.ok(Map.of("path", request.path(),
                        "params", request.queryParams(), "local", request.localOnly())))
                .route("/rebalancing", request -> {
                    throw new InvalidStateStoreException("migrating");
                })
                .route("/missing", request -> {
                    throw new NoSuchElementException("no spend for tenant acme");
                })
                .route("/bad", request -> {
                    throw new IllegalArgumentException("unknown granularity WEEK");
                })
                .route("/boom", request -> {
                    throw new IllegalStateException("bug");
                });
        streams = unstartedStreams();
        router = new QueryRouter(streams, new HostInfo("127.0.0.1", 1), HttpClient.newHttpClient(),
                Duration.ofSeconds(5));
    }

    @AfterEach
    void tearDown() {
        streams.close(Duration.ofSeconds(5));
        peer.close();
        registry.close();
    }

    private KafkaStreams unstartedStreams() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("spend", Consumed.with(Serdes.String(), Serdes.Long()).withName("spend-source"),
                Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("spend-store"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "query-router-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return new KafkaStreams(builder.build(), props);
    }

    private HostInfo peerHost() {
        return new HostInfo("127.0.0.1", peer.port());
    }

    @Test
    void shouldForwardWithLocalFlagAndReturnThePeersJson() {
        JsonNode body = router.forward(peerHost(), "/echo/tenant/acme?granularity=HOUR&local=false");

        assertThat(body.get("path").asText()).isEqualTo("/echo/tenant/acme");
        assertThat(body.get("local").asBoolean()).isTrue();
        assertThat(body.at("/params/granularity/0").asText()).isEqualTo("HOUR");
        assertThat(body.at("/params/local").toString()).isEqualTo("[\"true\"]");
    }

    @Test
    void shouldMapAPeersRetryable503BackToTheRetryableException() {
        assertThatThrownBy(() -> router.forward(peerHost(), "/rebalancing"))
                .isInstanceOf(StateNotQueryableException.class)
                .hasMessageContaining("is not queryable yet");
    }

    @Test
    void shouldMapPeerClientErrorsToTheSameExceptions() {
        assertThatThrownBy(() -> router.forward(peerHost(), "/missing"))
                .isInstanceOf(NoSuchElementException.class)
                .hasMessage("no spend for tenant acme");
        assertThatThrownBy(() -> router.forward(peerHost(), "/bad"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown granularity WEEK");
        assertThatThrownBy(() -> router.forward(peerHost(), "/boom"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("answered 500");
    }

    @Test
    void shouldTreatAnUnreachablePeerAsRetryable() throws Exception {
        int freePort;
        try (ServerSocket socket = new ServerSocket(0)) {
            freePort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> router.forward(new HostInfo("127.0.0.1", freePort), "/echo"))
                .isInstanceOf(StateNotQueryableException.class);
    }

    @Test
    void shouldAddOrReplaceTheLocalParameter() {
        assertThat(QueryRouter.withLocal("/costs")).isEqualTo("/costs?local=true");
        assertThat(QueryRouter.withLocal("costs?a=1")).isEqualTo("/costs?a=1&local=true");
        assertThat(QueryRouter.withLocal("/costs?local=false&a=1")).isEqualTo("/costs?a=1&local=true");
        assertThat(QueryRouter.withLocal("/costs?locality=x")).isEqualTo("/costs?locality=x&local=true");
        assertThat(QueryRouter.withLocal("/costs?")).isEqualTo("/costs?local=true");
    }

    @Test
    void shouldAnswerEveryKeyLocallyWithoutAnApplicationServer() {
        QueryRouter single = new QueryRouter(streams, HostInfo.unavailable(), HttpClient.newHttpClient());
        assertThat(single.ownerOf("any-store", "any-key")).hasValue(HostInfo.unavailable());
        assertThat(single.allHostsFor("any-store")).containsExactly(HostInfo.unavailable());
    }

    @Test
    void shouldKnowWhichHostIsLocal() {
        QueryRouter single = new QueryRouter(streams, HostInfo.unavailable(), HttpClient.newHttpClient());

        assertThat(router.isLocal(new HostInfo("127.0.0.1", 1))).isTrue();
        assertThat(router.isLocal(new HostInfo("127.0.0.1", 2))).isFalse();
        assertThat(router.isLocal(HostInfo.unavailable())).isTrue();
        assertThat(single.isLocal(new HostInfo("elsewhere", 8080))).isTrue();
    }

    @Test
    void shouldAnswerRetryableWhileTheClientIsNotStarted() {
        assertThatThrownBy(() -> router.ownerOf("spend-store", "acme"))
                .isInstanceOf(InvalidStateStoreException.class);
        assertThatThrownBy(() -> router.allHostsFor("spend-store"))
                .isInstanceOf(InvalidStateStoreException.class);
    }

    @Test
    void shouldAnswerRetryableOnceTheClientHasStopped() {
        streams.close(Duration.ofSeconds(5));

        assertThatThrownBy(() -> router.ownerOf("spend-store", "acme"))
                .isInstanceOf(StateNotQueryableException.class);
        assertThatThrownBy(() -> router.allHostsFor("spend-store"))
                .isInstanceOf(StateNotQueryableException.class);
    }
}
