package dev.costmeter.gateway.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.gateway.otlp.TraceIngest;
import dev.costmeter.gateway.otlp.TraceRequests;
import dev.costmeter.gateway.switches.SwitchFeed;
import dev.costmeter.gateway.switches.SwitchJson;
import dev.costmeter.gateway.usage.UsageRequests;
import dev.costmeter.gateway.usage.UsageSink;
import dev.costmeter.runtime.auth.AccessDeniedException;
import dev.costmeter.runtime.auth.ApiAccess;
import dev.costmeter.runtime.auth.Caller;
import dev.costmeter.runtime.auth.HttpTls;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's HTTP API on the JDK server, with the streams apps' access rules ({@link ApiAccess}:
 * bearer tokens with operator or tenant scopes, loopback-only without tokens, {@link HttpTls}):
 *
 * <ul>
 *   <li>{@code POST /v1/traces}: OTLP/HTTP traces, protobuf or JSON (gzip allowed);</li>
 *   <li>{@code POST /v1/usage}: usage events as JSON or CloudEvents, one or a batch;</li>
 *   <li>{@code GET /v1/switches/check?tenant=&route=&prompt_version=&task=&end_user=}: the decision
 *       of the Java {@link KillSwitchClient}'s table;</li>
 *   <li>{@code GET /v1/switches/stream}: Server-Sent Events, one {@code switch} event per accepted
 *       signed command (those in force first);</li>
 *   <li>{@code GET /health/live}, {@code /health/ready} (open) and {@code /metrics} (Prometheus).</li>
 * </ul>
 *
 * Bounds: request bodies ({@code maxBodyBytes}, after decompression), requests per second per caller,
 * requests served at once and open streams; past any of them the answer is 413, 429 or 503 with
 * Retry-After, never a queue.
 */
public final class GatewayServer implements AutoCloseable {

    /** The limits of the API; see the module README for their keys and defaults. */
    public record Limits(int maxBodyBytes, double requestsPerSecond, double burst, int maxConcurrentRequests, int maxStreams,
            Duration streamHeartbeat) {
    }

    private static final Logger log = LoggerFactory.getLogger(GatewayServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final ApiAccess access;
    private final PrometheusMeterRegistry metrics;
    private final TraceIngest traces;
    private final UsageSink usage;
    private final KillSwitchClient switches;
    private final SwitchFeed feed;
    private final BooleanSupplier ready;
    private final Limits limits;
    private final RateLimiter rates;
    private final Semaphore requests;
    private final Semaphore streams;
    private volatile boolean closing;

    private GatewayServer(HttpServer server, ApiAccess access, PrometheusMeterRegistry metrics, TraceIngest traces,
            UsageSink usage, KillSwitchClient switches, SwitchFeed feed, BooleanSupplier ready, Limits limits) {
        this.server = server;
        this.access = access;
        this.metrics = metrics;
        this.traces = traces;
        this.usage = usage;
        this.switches = switches;
        this.feed = feed;
        this.ready = ready;
        this.limits = limits;
        this.rates = new RateLimiter(limits.requestsPerSecond(), limits.burst(), System::nanoTime);
        this.requests = new Semaphore(limits.maxConcurrentRequests());
        this.streams = new Semaphore(limits.maxStreams());
        // Threads are bounded by the two semaphores (requests, streams) checked before any work.
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "costmeter-gateway-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
    }

    /**
     * Binds {@code host:port} (0 = any free port), checks {@code access} against the bound address
     * and starts serving.
     *
     * @throws org.apache.kafka.common.config.ConfigException when access refuses the address
     */
    public static GatewayServer start(String host, int port, ApiAccess access, Optional<HttpTls> tls,
            PrometheusMeterRegistry metrics, TraceIngest traces, UsageSink usage, KillSwitchClient switches, SwitchFeed feed,
            BooleanSupplier ready, Limits limits) {
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
            throw new UncheckedIOException("Cannot bind the gateway to " + host + ":" + port, e);
        }
        try {
            access.checkBind(server.getAddress());
        } catch (RuntimeException e) {
            server.stop(0);
            throw e;
        }
        GatewayServer gateway = new GatewayServer(server, access, metrics, traces, usage, switches, feed, ready, limits);
        server.start();
        log.info("Ingest gateway listening on {}://{}:{}", tls.isPresent() ? "https" : "http",
                server.getAddress().getHostString(), gateway.port());
        return gateway;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (path.equals("/health/live") || path.equals("/health/ready")) {
                boolean up = path.equals("/health/live") || ready.getAsBoolean();
                sendJson(exchange, up ? 200 : 503, Map.of("status", up ? "UP" : "NOT_READY"));
                return;
            }
            Route route = Route.of(exchange.getRequestMethod(), path);
            if (route == null) {
                sendJson(exchange, 404, error("no route for " + exchange.getRequestMethod() + " " + path));
                return;
            }
            if (route == Route.METRICS && !access.metricsNeedToken()) {
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8));
                return;
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            Optional<Caller> caller = access.authenticate(authorization);
            if (caller.isEmpty()) {
                exchange.getResponseHeaders().set("WWW-Authenticate", ApiAccess.challenge(authorization));
                sendJson(exchange, 401, error(authorization == null ? "a bearer token is required" : "invalid token"));
                return;
            }
            if (route == Route.METRICS) {
                if (!caller.get().mayReadMetrics()) {
                    sendJson(exchange, 403, error("this token may not read /metrics"));
                    return;
                }
                send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.scrape().getBytes(StandardCharsets.UTF_8));
                return;
            }
            if (!rates.tryAcquire(caller.get().toString())) {
                retryLater(exchange, 429, "more than " + limits.requestsPerSecond() + " requests per second from this caller");
                return;
            }
            if (route == Route.SWITCH_STREAM) {
                stream(exchange, caller.get());
                return;
            }
            if (!requests.tryAcquire()) {
                retryLater(exchange, 503, "the gateway is serving " + limits.maxConcurrentRequests() + " requests already");
                return;
            }
            try {
                serve(route, exchange, caller.get());
            } finally {
                requests.release();
            }
        } catch (IOException | RuntimeException e) {
            log.warn("{} {} failed: {}", exchange.getRequestMethod(), path, e.toString());
        }
    }

    private enum Route {
        TRACES, USAGE, SWITCH_CHECK, SWITCH_STREAM, METRICS;

        static Route of(String method, String path) {
            return switch (method + " " + path) {
                case "POST /v1/traces" -> TRACES;
                case "POST /v1/usage" -> USAGE;
                case "GET /v1/switches/check" -> SWITCH_CHECK;
                case "GET /v1/switches/stream" -> SWITCH_STREAM;
                case "GET /metrics" -> METRICS;
                default -> null;
            };
        }
    }

    private void serve(Route route, HttpExchange exchange, Caller caller) throws IOException {
        try {
            switch (route) {
                case TRACES -> traces(exchange, caller);
                case USAGE -> usage(exchange, caller);
                case SWITCH_CHECK -> check(exchange, caller);
                default -> sendJson(exchange, 404, error("no route"));
            }
        } catch (Bodies.TooLarge e) {
            refused(route, 413);
            sendJson(exchange, 413, error(e.getMessage()));
        } catch (AccessDeniedException e) {
            refused(route, 403);
            sendJson(exchange, 403, error(e.getMessage()));
        } catch (IllegalArgumentException e) {
            refused(route, 400);
            sendJson(exchange, 400, error(e.getMessage()));
        } catch (UsageSink.Overloaded e) {
            refused(route, 429);
            retryLater(exchange, 429, e.getMessage());
        } catch (UsageSink.NotAcknowledged e) {
            refused(route, 503);
            log.warn("Usage not acknowledged by Kafka: {}", e.getMessage());
            retryLater(exchange, 503, e.getMessage() + "; nothing is lost by retrying the whole request (event ids deduplicate it)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryLater(exchange, 503, "interrupted");
        }
    }

    /** {@code costmeter_gateway_refused_total{route,status}}: requests answered with an error, by why. */
    private void refused(Route route, int status) {
        metrics.counter("costmeter.gateway.refused", "route", route.name().toLowerCase(java.util.Locale.ROOT),
                "status", Integer.toString(status)).increment();
    }

    private byte[] body(HttpExchange exchange) throws IOException, Bodies.TooLarge {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        long contentLength = -1;
        if (length != null) {
            try {
                contentLength = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Content-Length '" + length + "' is not a number");
            }
        }
        return Bodies.read(exchange.getRequestBody(), exchange.getRequestHeaders().getFirst("Content-Encoding"), contentLength,
                limits.maxBodyBytes());
    }

    private void traces(HttpExchange exchange, Caller caller)
            throws IOException, Bodies.TooLarge, UsageSink.Overloaded, UsageSink.NotAcknowledged, InterruptedException {
        TraceRequests.Encoding encoding;
        byte[] body;
        try {
            encoding = TraceRequests.Encoding.of(exchange.getRequestHeaders().getFirst("Content-Type"));
            body = body(exchange);
        } catch (IllegalArgumentException | Bodies.TooLarge e) {
            traces.countRefused();
            throw e;
        }
        var request = decodeCounted(body, encoding);
        TraceIngest.Result result = traces.ingest(request, caller);
        log.debug("OTLP request: {} calls written, {} spans without usage", result.calls(), result.spansWithoutUsage());
        if (encoding == TraceRequests.Encoding.PROTOBUF) {
            // An empty ExportTraceServiceResponse: full success.
            send(exchange, 200, "application/x-protobuf", new byte[0]);
        } else {
            sendJson(exchange, 200, Map.of());
        }
    }

    private io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest decodeCounted(byte[] body,
            TraceRequests.Encoding encoding) {
        try {
            return TraceRequests.decode(body, encoding);
        } catch (IllegalArgumentException e) {
            traces.countRefused();
            throw e;
        }
    }

    private void usage(HttpExchange exchange, Caller caller)
            throws IOException, Bodies.TooLarge, UsageSink.Overloaded, UsageSink.NotAcknowledged, InterruptedException {
        List<UsageSink.Item> items = UsageRequests.parse(body(exchange), exchange.getRequestHeaders().getFirst("Content-Type"));
        List<UsageSink.Outcome> outcomes = usage.write(items, caller);
        long refused = outcomes.stream().filter(o -> !o.written()).count();
        metrics.counter("costmeter.gateway.usage.events", "outcome", "written").increment(outcomes.size() - refused);
        metrics.counter("costmeter.gateway.usage.events", "outcome", "refused").increment(refused);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("written", outcomes.size() - refused);
        body.put("refused", refused);
        body.put("events", outcomes.stream().map(o -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("index", o.index());
            one.put("event_id", o.eventId());
            one.put("status", o.written() ? "written" : "refused");
            if (o.reason() != null) {
                one.put("reason", o.reason());
            }
            return one;
        }).toList());
        // 200 when every event was written; 422 when some were refused (those written are listed, and
        // acknowledged by Kafka: re-posting the whole batch charges them once).
        sendJson(exchange, refused == 0 ? 200 : 422, body);
    }

    private void check(HttpExchange exchange, Caller caller) throws IOException {
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String tenant = query.get("tenant");
        if (tenant != null) {
            caller.requireTenant(tenant, "switches of tenant '" + tenant + "'");
        } else if (!caller.isOperator()) {
            throw new IllegalArgumentException("tenant is required with a tenant token");
        }
        sendJson(exchange, 200, SwitchJson.decision(switches.check(tenant, query.get("route"), query.get("prompt_version"),
                query.get("task"), query.get("end_user"))));
    }

    /**
     * Server-Sent Events: {@code event: switch} with the signed command as {@code data} (JSON), a
     * comment line as heartbeat. Every authenticated caller may follow it: as on Kafka, where every
     * service reads the whole control topic, switches are advice for everyone's calls, not spend data.
     */
    private void stream(HttpExchange exchange, Caller caller) throws IOException {
        if (!streams.tryAcquire()) {
            retryLater(exchange, 503, limits.maxStreams() + " switch streams are open already");
            return;
        }
        try (SwitchFeed.Subscription subscription = feed.subscribe()) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write((": costmeter kill switches for " + caller + "\nretry: 1000\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (!closing && !subscription.ended()) {
                ControlCommand command = subscription.next(limits.streamHeartbeat());
                String frame = command == null ? ": heartbeat\n\n"
                        : "event: switch\nid: " + command.getSequence() + "\ndata: " + JSON.writeValueAsString(SwitchJson.command(command)) + "\n\n";
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            log.debug("A switch stream closed: {}", e.toString());
        } finally {
            streams.release();
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> params = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (!value.isEmpty()) {
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

    private static Map<String, Object> error(String message) {
        return Map.of("error", message == null ? "bad request" : message);
    }

    private static void retryLater(HttpExchange exchange, int status, String message) throws IOException {
        exchange.getResponseHeaders().set("Retry-After", "1");
        sendJson(exchange, status, error(message));
    }

    private static void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
        send(exchange, status, JSON_TYPE, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Stops serving: open streams end, then the server. */
    @Override
    public void close() {
        closing = true;
        server.stop(1);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
