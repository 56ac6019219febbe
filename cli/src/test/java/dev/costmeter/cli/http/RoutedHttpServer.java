package dev.costmeter.cli.http;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real HTTP server on the loopback interface standing in for one of costmeter's HTTP services: it
 * answers each path with its canned response (404 otherwise) and records what was asked.
 */
public final class RoutedHttpServer implements AutoCloseable {

    private record Canned(int status, String body) {
    }

    private final HttpServer server;
    private final Map<String, Canned> routes = new ConcurrentHashMap<>();
    private final List<URI> requests = new ArrayList<>();

    public RoutedHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            synchronized (requests) {
                requests.add(exchange.getRequestURI());
            }
            Canned canned = routes.getOrDefault(exchange.getRequestURI().getRawPath(), new Canned(404, "{\"error\":\"not found\"}"));
            byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(canned.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** Answers GET {@code rawPath} (any query) with {@code status} and {@code body}. */
    public RoutedHttpServer route(String rawPath, int status, String body) {
        routes.put(rawPath, new Canned(status, body));
        return this;
    }

    public List<URI> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
