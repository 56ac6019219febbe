package dev.costmeter.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * The local stand-in for on-call: receives what the alert sink delivers (generic JSON at
 * {@code /alerts}, PagerDuty Events v2 at {@code /pagerduty/v2/enqueue}), appends every payload to
 * {@code inbox.jsonl} and prints one line per page.
 *
 * <p>It asks nobody who they are, so it listens on a loopback address only: anyone who could reach
 * it could fill the inbox with fake pages. A body larger than {@value #MAX_BODY_BYTES} bytes is
 * refused (413) rather than read into memory.
 */
public final class OnCallInbox implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Far above any alert payload; stops a runaway sender from exhausting memory or disk. */
    static final int MAX_BODY_BYTES = 1024 * 1024;

    /** One received page. */
    public record Page(Instant receivedAt, String path, JsonNode body) {
    }

    private final HttpServer server;
    private final Path store;
    private final PrintStream out;
    private final List<Page> pages = new CopyOnWriteArrayList<>();

    private OnCallInbox(HttpServer server, Path store, PrintStream out) {
        this.server = server;
        this.store = store;
        this.out = out;
    }

    /**
     * Starts the inbox on {@code host:port} (0 = any free port).
     *
     * @throws IOException when the port cannot be bound, or {@code host} is not a loopback address
     */
    public static OnCallInbox start(String host, int port, Path dir, PrintStream out) throws IOException {
        Files.createDirectories(dir);
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        if (server.getAddress().getAddress() == null || !server.getAddress().getAddress().isLoopbackAddress()) {
            server.stop(0);
            throw new IOException("the on-call inbox has no authentication and listens on a loopback address only, not "
                    + host);
        }
        OnCallInbox inbox = new OnCallInbox(server, dir.resolve("inbox.jsonl"), out);
        server.createContext("/", inbox::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "on-call-inbox");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        return inbox;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public List<Page> pages() {
        return List.copyOf(pages);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                exchange.sendResponseHeaders(413, -1);
                return;
            }
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Page page = new Page(Instant.now(), exchange.getRequestURI().getPath(), json);
            pages.add(page);
            String line = JSON.createObjectNode().put("received_at", page.receivedAt().toString())
                    .put("path", page.path()).set("body", json).toString() + "\n";
            synchronized (this) {
                Files.writeString(store, line, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
            out.println("on-call  " + describe(page));
            byte[] answer = "{\"status\":\"success\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    private static String describe(Page page) {
        JsonNode body = page.body();
        if (body.has("event_action")) {
            return "PagerDuty " + body.path("event_action").asText() + " [" + body.path("payload").path("severity").asText("-")
                    + "] " + body.path("payload").path("summary").asText("") + "  dedup=" + body.path("dedup_key").asText();
        }
        String status = body.path("status").asText(body.path("alert").path("status").asText("?"));
        String summary = body.path("summary").asText(body.path("alert").path("summary").asText(body.toString()));
        return status + " " + summary;
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
