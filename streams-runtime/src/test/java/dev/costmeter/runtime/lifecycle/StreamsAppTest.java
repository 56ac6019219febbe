package dev.costmeter.runtime.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.runtime.config.AppConfig;
import dev.costmeter.runtime.config.StreamsDefaults;
import dev.costmeter.runtime.http.JsonResponse;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lifecycle of {@link StreamsApp} without a broker: the client stays REBALANCING, which is what
 * the ops endpoints must report. The apps' integration tests cover a real cluster.
 */
class StreamsAppTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    private final HttpClient http = HttpClient.newHttpClient();

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("spend", Consumed.with(Serdes.String(), Serdes.Long()).withName("spend-source"),
                Materialized.<String, Long, KeyValueStore<Bytes, byte[]>>as("spend-store"));
        return builder.build();
    }

    private AppConfig config(String instance, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of(
                "bootstrap.servers", "127.0.0.1:1",
                "http.host", "127.0.0.1",
                "http.port", "0",
                "application.server", "localhost:0",
                "state.dir", stateDir.resolve(instance).toString(),
                "shutdown.timeout", "10s"));
        values.putAll(extra);
        return AppConfig.of("test-app", values);
    }

    private StreamsApp create(String instance, Map<String, String> extra) {
        AppConfig config = config(instance, extra);
        Properties props = StreamsDefaults.baseProperties(config, "streams-app-test");
        return StreamsApp.create("test-app", topology(), props, config, app -> Map.of(
                "/whoami", request -> JsonResponse.ok(Map.of("self", app.queryRouter().self().toString()))));
    }

    private HttpResponse<String> get(StreamsApp app, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String scrape(StreamsApp app) {
        try {
            return get(app, "/metrics").body();
        } catch (IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldServeHealthMetricsAndRoutesWhileTheClientCannotReachKafka() throws Exception {
        StreamsApp app = create("a", Map.of());
        try {
            app.start();

            assertThat(app.queryRouter().self()).isEqualTo(new HostInfo("localhost", app.httpPort()));
            assertThat(get(app, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(app, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"status\":\"NOT_READY\"");
            assertThat(get(app, "/whoami").body()).isEqualTo("{\"self\":\"HostInfo{host='localhost', port="
                    + app.httpPort() + "}\"}");
            Poll.until(WAIT, () -> scrape(app).contains("kafka_stream_"), "Kafka Streams metrics in /metrics");
            assertThat(scrape(app))
                    .contains("costmeter_stream_state{app=\"test-app\"} "
                            + KafkaStreams.State.REBALANCING.ordinal() + ".0")
                    .contains("costmeter_stream_ready{app=\"test-app\"} 0.0")
                    .contains("costmeter_stream_uncaught_exceptions_total{app=\"test-app\"} 0.0")
                    .contains("jvm_memory_used_bytes")
                    .contains("jvm_gc_")
                    .contains("jvm_threads_live_threads")
                    .contains("process_cpu_usage");
        } finally {
            app.close();
        }

        assertThat(app.awaitShutdown(WAIT)).isTrue();
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
        assertThatThrownBy(() -> get(app, "/health/live")).isInstanceOf(IOException.class);
    }

    @Test
    void shouldRunTwoInstancesInOneJvmOnEphemeralPorts() throws Exception {
        try (StreamsApp first = create("first", Map.of()); StreamsApp second = create("second", Map.of())) {
            first.start();
            second.start();

            assertThat(first.httpPort()).isNotEqualTo(second.httpPort());
            assertThat(get(first, "/health/live").statusCode()).isEqualTo(200);
            assertThat(get(second, "/health/live").statusCode()).isEqualTo(200);
            assertThat(first.queryRouter().isLocal(second.queryRouter().self())).isFalse();
        }
    }

    @Test
    void shouldCloseIdempotentlyAndWithoutStart() throws Exception {
        StreamsApp app = create("unstarted", Map.of());

        app.close();
        app.close();

        assertThat(app.awaitShutdown(WAIT)).isTrue();
    }

    @Test
    void shouldRefuseToStartTwice() {
        try (StreamsApp app = create("twice", Map.of())) {
            app.start();

            assertThatThrownBy(app::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void shouldRejectAnUnknownUncaughtExceptionResponse() {
        assertThatThrownBy(() -> create("bad", Map.of("uncaught.exception.response", "RESTART")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("Invalid value RESTART for configuration uncaught.exception.response: "
                        + "expected REPLACE_THREAD, SHUTDOWN_CLIENT or SHUTDOWN_APPLICATION");
    }

    @Test
    void shouldReplaceTheThreadByDefaultAndCountUncaughtExceptions() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Counter counter = registry.counter(RuntimeMeters.UNCAUGHT_EXCEPTIONS);
        StreamThreadExceptionResponse byDefault = StreamsApp.uncaughtResponse(AppConfig.of("a", Map.of()));
        StreamThreadExceptionResponse configured = StreamsApp.uncaughtResponse(
                AppConfig.of("a", Map.of("uncaught.exception.response", "shutdown_client")));

        StreamThreadExceptionResponse answered = StreamsApp.uncaughtHandler("a", byDefault, counter)
                .handle(new IllegalStateException("boom"));

        assertThat(byDefault).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(configured).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
        assertThat(answered).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
        assertThat(counter.count()).isEqualTo(1.0);
    }

    @Test
    void shouldResolveApplicationServerPortZeroToTheHttpPort() {
        Properties props = new Properties();
        props.put("application.server", "metering-0:0");

        HostInfo host = StreamsApp.resolveApplicationServer(props, AppConfig.of("a", Map.of()), 8123);
        HostInfo unset = StreamsApp.resolveApplicationServer(new Properties(), AppConfig.of("a", Map.of()), 8123);

        assertThat(host).isEqualTo(new HostInfo("metering-0", 8123));
        assertThat(props).containsEntry("application.server", "metering-0:8123");
        assertThat(unset).isEqualTo(HostInfo.unavailable());
    }

    @Test
    void shouldWaitForItsPreconditionsBeforeStartingTheClientAndSayWhatItWaitsFor() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean registryUp = new java.util.concurrent.atomic.AtomicBoolean();
        try (StreamsApp app = create("gated", Map.of())) {
            app.requireBeforeStart("the test registry", () -> {
                if (!registryUp.get()) {
                    throw new IllegalStateException("connection refused");
                }
            });
            app.start();

            HttpResponse<String> waiting = get(app, "/health/ready");
            assertThat(waiting.statusCode()).isEqualTo(503);
            assertThat(waiting.body()).contains("\"reason\":\"waiting for the test registry (connection refused)\"");
            assertThat(get(app, "/health/live").statusCode()).isEqualTo(200);
            assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.CREATED);

            registryUp.set(true);
            Poll.until(WAIT, () -> app.streams().state() != KafkaStreams.State.CREATED, "the client started");
            assertThat(app.health().reason()).isNull();
        }
    }

    @Test
    void shouldNeverStartTheClientWhenClosedWhileWaitingForAPrecondition() throws Exception {
        StreamsApp app = create("closed-waiting", Map.of());
        app.requireBeforeStart("something that never comes", () -> {
            throw new IllegalStateException("not yet");
        });
        app.start();
        app.close();

        assertThat(app.awaitShutdown(WAIT)).isTrue();
        assertThat(app.streams().state()).isIn(KafkaStreams.State.CREATED, KafkaStreams.State.NOT_RUNNING);
    }
}
