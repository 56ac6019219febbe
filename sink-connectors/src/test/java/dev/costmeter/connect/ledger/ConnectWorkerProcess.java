package dev.costmeter.connect.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.costmeter.connect.fixtures.ConnectWorker;
import dev.costmeter.connect.fixtures.Poll;
import dev.costmeter.connect.fixtures.ShippedConfigs;
import java.io.IOException;
import java.io.Writer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A Kafka Connect distributed worker in a process of its own (Kafka's {@code ConnectDistributed}
 * main, the shipped {@code worker.properties} as {@link ShippedConfigs#worker} adapts them, the built
 * plugin on {@code plugin.path}), so that a test can kill it as the kernel kills a crashed worker:
 * {@link #kill()} is {@link Process#destroyForcibly()}, a SIGKILL. Nothing of the worker runs after
 * it, no task stops, no offset is committed, no consumer leaves its group, and PostgreSQL sees the
 * sink's connections drop mid-transaction.
 */
final class ConnectWorkerProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Process process;
    private final URI rest;
    private final HttpClient http = HttpClient.newHttpClient();

    private ConnectWorkerProcess(Process process, URI rest) {
        this.process = process;
        this.rest = rest;
    }

    /**
     * Starts a worker of {@code groupId} and waits until its REST API answers. The worker's classpath
     * is this test JVM's (which has Kafka Connect and not the module's own classes: the connectors
     * come from the plugin only); its output goes to {@code log}.
     */
    static ConnectWorkerProcess start(String bootstrapServers, String groupId, Path log) throws Exception {
        int port = freePort();
        Map<String, String> settings = ShippedConfigs.worker(bootstrapServers, groupId, ConnectWorker.pluginPath());
        settings.put("listeners", "http://127.0.0.1:" + port);
        settings.put("rest.advertised.port", Integer.toString(port));
        Properties props = new Properties();
        props.putAll(settings);
        Path file = Files.createTempFile("connect-worker-", ".properties");
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            props.store(writer, "ConnectWorkerProcess for " + groupId);
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                "org.apache.kafka.connect.cli.ConnectDistributed", file.toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        ConnectWorkerProcess worker = new ConnectWorkerProcess(process, URI.create("http://127.0.0.1:" + port));
        try {
            Poll.until(Duration.ofSeconds(120), () -> {
                if (!process.isAlive()) {
                    throw new AssertionError("Connect worker exited with " + process.exitValue() + "; see " + log);
                }
                return worker.send("GET", "/connectors", null).statusCode() == 200;
            }, () -> "Connect worker REST API not answering on port " + port + "; see " + log);
        } catch (AssertionError | RuntimeException e) {
            worker.kill();
            throw e;
        }
        return worker;
    }

    /** PUT /connectors/{name}/config; returns the HTTP status. */
    int putConnector(String name, Map<String, String> config) throws IOException, InterruptedException {
        return send("PUT", "/connectors/" + name + "/config", JSON.writeValueAsString(config)).statusCode();
    }

    /** Whether the connector and {@code tasks} tasks are RUNNING; a FAILED task fails the test. */
    boolean isRunning(String name, int tasks) throws IOException, InterruptedException {
        HttpResponse<String> answer = send("GET", "/connectors/" + name + "/status", null);
        if (answer.statusCode() != 200) {
            return false;
        }
        JsonNode status = JSON.readTree(answer.body());
        int running = 0;
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                throw new AssertionError("Task failed: " + task.path("trace").asText());
            }
            running += "RUNNING".equals(task.path("state").asText()) ? 1 : 0;
        }
        return "RUNNING".equals(status.path("connector").path("state").asText()) && running == tasks;
    }

    private HttpResponse<String> send(String method, String path, String body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(rest.resolve(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
