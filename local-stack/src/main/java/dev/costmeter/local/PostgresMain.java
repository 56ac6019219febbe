package dev.costmeter.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The ledger's PostgreSQL for local runs: real PostgreSQL binaries from Maven Central (zonky),
 * with the data directory kept under the stack's data directory, so the ledger survives restarts,
 * and {@code synchronous_commit=on}, so it survives a crash too.
 * {@code PostgresMain <data dir> <port>}.
 *
 * <p>The PostgreSQL server runs detached from this JVM ({@code pg_ctl} puts it in a session of its
 * own), so it would outlive a killed JVM and keep the port. Hence: a server left behind by an
 * earlier run is stopped before starting, this JVM exits when its server dies (so the supervisor
 * restarts both), and the stack kills and pauses the server with the JVM ({@link #serverProcesses}).
 */
public final class PostgresMain {

    private PostgresMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        Files.createDirectories(dataDir);
        stopLeftOverServer(dataDir);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .setPort(port)
                // zonky's builder turns it off (fast tests); then a crash loses commits already
                // acknowledged, and the ledger sink, told they committed, moves its offsets past them.
                // The fault campaign lost 29 ledger rows that way to a kill -9 of PostgreSQL.
                .setServerConfig("synchronous_commit", "on")
                .start();
        System.out.println("PostgreSQL ready at " + postgres.getJdbcUrl("postgres", "postgres"));
        Optional<ProcessHandle> server = postmaster(dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                postgres.close();
            } catch (Exception e) {
                System.err.println("PostgreSQL did not stop cleanly: " + e);
            }
            stopped.countDown();
        }, "postgres-shutdown"));
        server.ifPresent(postmaster -> postmaster.onExit().thenRun(() -> {
            if (stopped.getCount() > 0) {
                System.err.println("PostgreSQL server (pid " + postmaster.pid() + ") died; exiting so that it is restarted.");
                Runtime.getRuntime().halt(1);
            }
        }));
        stopped.await();
    }

    /** The server (postmaster) of {@code dataDir} and its backends, when it runs. */
    static List<ProcessHandle> serverProcesses(Path dataDir) {
        return postmaster(dataDir).map(p -> Stream.concat(Stream.of(p), p.descendants()).toList()).orElse(List.of());
    }

    /** The postmaster named in {@code dataDir/postmaster.pid}, if that process runs and is a PostgreSQL server. */
    static Optional<ProcessHandle> postmaster(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        } catch (IOException | NumberFormatException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static void stopLeftOverServer(Path dataDir) throws InterruptedException {
        Optional<ProcessHandle> leftOver = postmaster(dataDir);
        if (leftOver.isEmpty()) {
            return;
        }
        ProcessHandle server = leftOver.get();
        System.err.println("A PostgreSQL server (pid " + server.pid() + ") of an earlier run still holds " + dataDir
                + "; stopping it.");
        // SIGINT is PostgreSQL's fast shutdown: it does not wait for clients to disconnect.
        Signals.send(server.pid(), "INT");
        try {
            server.onExit().get(30, TimeUnit.SECONDS);
        } catch (Exception notStopped) {
            server.destroyForcibly();
            server.onExit().join();
        }
    }
}
