package dev.costmeter.cli.metering;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A real HTTP server on the loopback interface standing in for metering-stream's query API: it
 * answers each request with the next canned response and records what was asked.
 */
final class FakeMeteringServer implements AutoCloseable {

    record Canned(int status, String body) {
    }

    private final HttpServer server;
    private final Deque<Canned> answers = new ArrayDeque<>();
    private final List<URI> requests = new ArrayList<>();

    FakeMeteringServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Canned canned;
            synchronized (this) {
                requests.add(exchange.getRequestURI());
                canned = answers.isEmpty() ? new Canned(500, "{\"error\":\"no canned answer\",\"retryable\":false}") : answers.poll();
            }
            byte[] body = canned.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(canned.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    synchronized FakeMeteringServer answer(int status, String body) {
        answers.add(new Canned(status, body));
        return this;
    }

    synchronized List<URI> requests() {
        return List.copyOf(requests);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
