package dev.costmeter.deploy.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * The ledger's PostgreSQL for local runs: real PostgreSQL binaries from Maven Central (zonky),
 * with the data directory kept under the stack's data directory, so the ledger survives restarts.
 * {@code PostgresMain <data dir> <port>}.
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                .start();
        System.out.println("PostgreSQL ready at " + postgres.getJdbcUrl("postgres", "postgres"));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, "postgres-shutdown"));
        stopped.await();
    }
}
