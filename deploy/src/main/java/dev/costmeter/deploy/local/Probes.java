package dev.costmeter.deploy.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Waits for a starting component to become healthy, failing with its name, port and log when it does not. */
final class Probes {

    private static final Logger log = LoggerFactory.getLogger(Probes.class);

    private final Duration timeout;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Probes(Duration timeout) {
        this.timeout = timeout;
    }

    void await(ChildProcess child, String what, BooleanSupplier healthy) throws LocalStack.StackStartException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!child.isAlive()) {
                throw new LocalStack.StackStartException(child.failure("exited during start-up"));
            }
            if (healthy.getAsBoolean()) {
                log.info("{} is ready (port {})", child.name(), child.port());
                return;
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
        throw new LocalStack.StackStartException(child.failure("did not " + what + " within " + timeout.toSeconds() + " s"));
    }

    void awaitHttp(ChildProcess child, URI probe) throws LocalStack.StackStartException, InterruptedException {
        await(child, "answer " + probe, () -> status(probe) == 200);
    }

    void awaitKafka(ChildProcess kafka, String bootstrapServers) throws LocalStack.StackStartException, InterruptedException {
        try (Admin admin = Admin.create(java.util.Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000))) {
            await(kafka, "accept clients", () -> {
                try {
                    return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            });
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    int status(URI uri) {
        try {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
