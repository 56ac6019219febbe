package dev.costmeter.runtime.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.runtime.auth.HttpTls;
import dev.costmeter.runtime.lifecycle.StreamsApp;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of a streams app (JDK {@link HttpServer}, no framework): health, readiness,
 * Prometheus metrics and the app's own JSON routes.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 {@code {"status":"UP","state":"RUNNING"}}, or 503 with
 *       status {@code DOWN} when the client is ERROR, PENDING_ERROR or NOT_RUNNING;</li>
 *   <li>{@code GET /health/ready}: 200 only when the instance can do its work now (see
 *       {@link StreamsApp#health()}: RUNNING, start preconditions met, no recent stream-thread
 *       failure, active tasks, the cluster answering), else 503
 *       {@code {"status":"NOT_READY","state":"REBALANCING"}}, with a {@code "reason"} where the
 *       state alone does not say why;</li>
 *   <li>{@code GET /metrics}: the Prometheus text format 0.0.4;</li>
 *   <li>routes added with {@link #route}; see {@link JsonRoute} for how exceptions are answered.
 *       A route serves its prefix and the paths below it ({@code /costs} serves
 *       {@code /costs/tenant/acme}, not {@code /costsx}) for every method.</li>
 * </ul>
 * Requests are served by a small pool of daemon threads, so a slow forwarded query does not hold
 * up health checks.
 *
 * <p>Access ({@link ApiAccess}): health is always open; app routes need a bearer token when tokens
 * are configured (401 with {@code WWW-Authenticate: Bearer} without one), and {@code /metrics}
 * when so configured. A route refuses data its caller may not read with
 * {@link AccessDeniedException}, answered 403 with no data. With an {@link HttpTls}, the server
 * speaks HTTPS only.
 */
public final class OpsServer implements AutoCloseable {

    /** Content type of {@code /metrics}. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";
    static final int THREADS = 8;

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final Set<KafkaStreams.State> DEAD = EnumSet.of(
            KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR, KafkaStreams.State.NOT_RUNNING);
    private static final Set<String> RESERVED = Set.of("/health", "/metrics");

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<HealthStatus> health;
    private final PrometheusMeterRegistry registry;
    private final ApiAccess access;

    private OpsServer(HttpServer server, Supplier<HealthStatus> health, PrometheusMeterRegistry registry,
            ApiAccess access) {
        this.server = server;
        this.health = health;
        this.registry = registry;
        this.access = access;
        this.executor = Executors.newFixedThreadPool(THREADS, daemonThreads());
        server.setExecutor(executor);
        server.createContext("/", this::handleOps);
    }

    /** Starts serving {@code streams}' health and {@code registry} on {@code host:port} (0 = any free port). */
    public static OpsServer start(String host, int port, KafkaStreams streams, PrometheusMeterRegistry registry) {
        Objects.requireNonNull(streams, "streams");
        return start(host, port, streams::state, registry);
    }

    /** Starts serving with the client state read from {@code state}; for tests and custom lifecycles. */
    public static OpsServer start(String host, int port, Supplier<KafkaStreams.State> state,
            PrometheusMeterRegistry registry) {
        return start(host, port, state, registry, ApiAccess.loopbackOnly(), Optional.empty());
    }

    /**
     * As {@link #start(String, int, Supplier, PrometheusMeterRegistry)}, with {@code access} deciding
     * who may call and, when {@code tls} is present, over HTTPS.
     *
     * @throws org.apache.kafka.common.config.ConfigException when {@code access} refuses the bound
     *         address (no tokens on a non-loopback address)
     */
    public static OpsServer start(String host, int port, Supplier<KafkaStreams.State> state,
            PrometheusMeterRegistry registry, ApiAccess access, Optional<HttpTls> tls) {
        Objects.requireNonNull(state, "state");
        OpsServer ops = bindHealth(host, port, () -> HealthStatus.ofState(state.get()), registry, access, tls);
        ops.serve();
        return ops;
    }

    /**
     * Binds the port without serving yet, so that the port is known before Kafka Streams is built;
     * then lets {@code access} check the bound address. {@link #serve()} starts serving: StreamsApp
     * binds before it builds Kafka Streams and serves once the streams exist.
     */
    public static OpsServer bindHealth(String host, int port, Supplier<HealthStatus> health, PrometheusMeterRegistry registry,
            ApiAccess access, Optional<HttpTls> tls) {
        Objects.requireNonNull(access, "access");
        HttpServer server;
        try {
            InetSocketAddress address = new InetSocketAddress(host, port);
            if (tls.isPresent()) {
                HttpsServer https = HttpsServer.create(address, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls.get().server()));
                server = https;
            } else {
                server = HttpServer.create(address, 0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the ops server to " + host + ":" + port, e);
        }
        try {
            access.checkBind(server.getAddress());
        } catch (RuntimeException e) {
            server.stop(0);
            throw e;
        }
        return new OpsServer(server, Objects.requireNonNull(health, "health"),
                Objects.requireNonNull(registry, "registry"), access);
    }

    /** Starts serving a server made by {@link #bindHealth}. */
    public void serve() {
        server.start();
        log.info("Ops server listening on {}://{}:{}", server instanceof HttpsServer ? "https" : "http",
                server.getAddress().getHostString(), port());
    }

    /**
     * Serves {@code handler} at {@code pathPrefix} (e.g. {@code /costs}) and below it. May be
     * called before or after the server starts.
     *
     * @throws IllegalArgumentException when the prefix is taken, reserved ({@code /health},
     *         {@code /metrics}) or does not start with {@code /}
     */
    public OpsServer route(String pathPrefix, JsonRoute handler) {
        Objects.requireNonNull(handler, "handler");
        String prefix = normalize(pathPrefix);
        if (RESERVED.stream().anyMatch(r -> prefix.equals(r) || prefix.startsWith(r + "/"))) {
            throw new IllegalArgumentException("path prefix " + prefix + " is reserved for the ops endpoints");
        }
        server.createContext(prefix, exchange -> handleRoute(exchange, prefix, handler));
        return this;
    }

    /** The bound port; the actual one when started on port 0. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** Stops accepting requests, closes open connections and ends the request threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void handleOps(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean known = path.equals("/health/live") || path.equals("/health/ready") || path.equals("/metrics");
            if (!known) {
                sendJson(exchange, 404, JsonBodies.error("no route for " + path, false));
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                sendJson(exchange, 405, JsonBodies.error("method " + method + " not allowed", false));
                return;
            }
            switch (path) {
                case "/health/live" -> {
                    HealthStatus now = health.get();
                    boolean alive = !DEAD.contains(now.state());
                    sendJson(exchange, alive ? 200 : 503, JsonBodies.status(alive ? "UP" : "DOWN", now.state().name(), null));
                }
                case "/health/ready" -> {
                    HealthStatus now = health.get();
                    sendJson(exchange, now.ready() ? 200 : 503,
                            JsonBodies.status(now.ready() ? "UP" : "NOT_READY", now.state().name(), now.reason()));
                }
                default -> {
                    if (metricsAllowed(exchange)) {
                        send(exchange, 200, PROMETHEUS_CONTENT_TYPE, registry.scrape().getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
        } catch (RuntimeException e) {
            log.error("Ops endpoint {} failed", exchange.getRequestURI().getPath(), e);
            trySendJson(exchange, 500, JsonBodies.error("internal error", false));
        }
    }

    /** Whether the caller may read {@code /metrics}; if not, the refusal is already sent. */
    private boolean metricsAllowed(HttpExchange exchange) throws IOException {
        if (!access.metricsNeedToken()) {
            return true;
        }
        Optional<Caller> caller = authenticated(exchange);
        if (caller.isEmpty()) {
            return false;
        }
        if (!caller.get().mayReadMetrics()) {
            sendJson(exchange, 403, JsonBodies.error("this token may not read /metrics", false));
            return false;
        }
        return true;
    }

    /** The caller of {@code exchange}; empty after answering 401 when a token is required and missing or unknown. */
    private Optional<Caller> authenticated(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<Caller> caller = access.authenticate(header);
        if (caller.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", ApiAccess.challenge(header));
            sendJson(exchange, 401, JsonBodies.error(header == null ? "a bearer token is required" : "invalid token", false));
        }
        return caller;
    }

    private void handleRoute(HttpExchange exchange, String prefix, JsonRoute handler) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
                sendJson(exchange, 404, JsonBodies.error("no route for " + path, false));
                return;
            }
            Optional<Caller> caller = authenticated(exchange);
            if (caller.isEmpty()) {
                return;
            }
            JsonResponse response = answer(exchange, prefix, handler, caller.get());
            byte[] body;
            try {
                body = JsonBodies.MAPPER.writeValueAsBytes(response.body());
            } catch (IOException | RuntimeException e) {
                log.error("Cannot serialise the answer to {} {}", exchange.getRequestMethod(), path, e);
                sendJson(exchange, 500, JsonBodies.error("internal error", false));
                return;
            }
            send(exchange, response.status(), JSON_CONTENT_TYPE, body);
        }
    }

    private static JsonResponse answer(HttpExchange exchange, String prefix, JsonRoute handler, Caller caller) {
        Request request = null;
        try {
            request = Request.of(exchange.getRequestMethod(), prefix, exchange.getRequestURI(), caller,
                    exchange.getRequestHeaders().getFirst("Authorization"));
            JsonResponse response = handler.handle(request);
            if (response == null) {
                throw new IllegalStateException("route " + prefix + " answered null");
            }
            return response;
        } catch (InvalidStateStoreException e) {
            log.debug("{} not answerable yet: {}", request, e.getMessage());
            exchange.getResponseHeaders().set("Retry-After", "1");
            return new JsonResponse(503, JsonBodies.error(JsonBodies.RETRY_MESSAGE, true));
        } catch (AccessDeniedException e) {
            log.debug("{} refused to {}: {}", request, caller, e.getMessage());
            return new JsonResponse(403, JsonBodies.error(e.getMessage(), false));
        } catch (IllegalArgumentException e) {
            return new JsonResponse(400, JsonBodies.error(messageOr(e, "bad request"), false));
        } catch (NoSuchElementException e) {
            return new JsonResponse(404, JsonBodies.error(messageOr(e, "not found"), false));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new JsonResponse(503, JsonBodies.error("interrupted", false));
        } catch (Exception e) {
            log.error("Route {} failed on {}", prefix, request == null ? exchange.getRequestURI() : request, e);
            return new JsonResponse(500, JsonBodies.error("internal error", false));
        }
    }

    private static String messageOr(Exception e, String fallback) {
        return e.getMessage() == null || e.getMessage().isBlank() ? fallback : e.getMessage();
    }

    private static void trySendJson(HttpExchange exchange, int status, Object body) {
        try {
            sendJson(exchange, status, body);
        } catch (IOException | RuntimeException ignored) {
            // Headers may already be sent; the client sees a cut answer, and the cause is logged.
        }
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, JSON_CONTENT_TYPE, JsonBodies.MAPPER.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (exchange.getRequestMethod().equals("HEAD") || status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static String normalize(String pathPrefix) {
        Objects.requireNonNull(pathPrefix, "pathPrefix");
        if (!pathPrefix.startsWith("/") || pathPrefix.length() < 2) {
            throw new IllegalArgumentException("path prefix must start with / and name a path: " + pathPrefix);
        }
        return pathPrefix.endsWith("/") ? pathPrefix.substring(0, pathPrefix.length() - 1) : pathPrefix;
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "costmeter-ops-http-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
