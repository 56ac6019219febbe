package dev.costmeter.local;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health probes of the components, and waiting for a starting component to pass its probe,
 * failing with its name, port and log when it does not.
 */
final class Probes {

    private static final Logger log = LoggerFactory.getLogger(Probes.class);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Duration timeout;

    Probes(Duration timeout) {
        this.timeout = timeout;
    }

    /** Waits until {@code component} passes its health probe. */
    void await(Component component) throws LocalStack.StackStartException, InterruptedException {
        await(component, component.probe().what(), component.probe().check());
    }

    void await(Component component, String what, BooleanSupplier healthy) throws LocalStack.StackStartException,
            InterruptedException {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!component.isAlive()) {
                throw new LocalStack.StackStartException(component.failure("exited during start-up"));
            }
            if (healthy.getAsBoolean()) {
                log.info("{} is ready (port {}): {} after {} ms", component.name(), component.port(), what,
                        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                return;
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        throw new LocalStack.StackStartException(component.failure("did not " + what + " within " + timeout.toSeconds() + " s"));
    }

    /** Healthy when a GET of {@code uri} answers 200. */
    static Component.HealthProbe http(URI uri) {
        return new Component.HealthProbe("answer " + uri, () -> status(uri) == 200);
    }

    /** Healthy when broker {@code nodeId} listens and is one of the cluster's live (unfenced) brokers. */
    static Component.HealthProbe broker(String host, int port, int nodeId, KafkaCluster cluster) {
        // Not even listening: no need to ask the cluster (whose client would log a failed connection).
        return new Component.HealthProbe("join the cluster as broker " + nodeId,
                () -> listening(host, port) && cluster.isLiveBroker(nodeId));
    }

    private static boolean listening(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Healthy when PostgreSQL accepts a JDBC connection. */
    static Component.HealthProbe jdbc(StackConfig.ExternalPostgres pg) {
        return new Component.HealthProbe("accept JDBC connections", () -> postgresAnswers(pg));
    }

    static boolean postgresAnswers(StackConfig.ExternalPostgres pg) {
        DriverManager.setLoginTimeout(3);
        try (Connection connection = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password())) {
            return connection.isValid(2);
        } catch (Exception notYet) {
            return false;
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers. */
    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
