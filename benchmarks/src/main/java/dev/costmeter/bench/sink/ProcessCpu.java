package dev.costmeter.bench.sink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * CPU time used by the Connect worker process and by the PostgreSQL server (postmaster and every
 * backend), so a round's cost per row can be told apart from the other load on a shared machine: the
 * wall-clock rate depends on what else runs, the CPU per row much less.
 */
final class ProcessCpu {

    /** CPU so far of the two process trees, in nanoseconds. */
    record Sample(long workerNanos, long postgresNanos) {

        Sample minus(Sample earlier) {
            return new Sample(workerNanos - earlier.workerNanos, postgresNanos - earlier.postgresNanos);
        }
    }

    private final Optional<ProcessHandle> worker;
    private final Optional<ProcessHandle> postmaster;

    private ProcessCpu(Optional<ProcessHandle> worker, Optional<ProcessHandle> postmaster) {
        this.worker = worker;
        this.postmaster = postmaster;
    }

    /** The Connect worker among this JVM's descendants; the postmaster named in {@code postgresDataDir}. */
    static ProcessCpu find(Path postgresDataDir) {
        Optional<ProcessHandle> worker = ProcessHandle.current().descendants()
                .filter(p -> commandLine(p).contains("org.apache.kafka.connect.cli.ConnectDistributed"))
                .findFirst();
        Optional<ProcessHandle> postmaster = Optional.empty();
        try {
            String pid = Files.readAllLines(postgresDataDir.resolve("postmaster.pid")).get(0).trim();
            postmaster = ProcessHandle.of(Long.parseLong(pid));
        } catch (IOException | RuntimeException e) {
            // Reported as unknown below.
        }
        return new ProcessCpu(worker, postmaster);
    }

    /** From {@code /proc} (Linux): {@code ProcessHandle.Info} gives up on command lines as long as these. */
    private static String commandLine(ProcessHandle process) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return process.info().commandLine().orElse("");
        }
    }

    boolean complete() {
        return worker.isPresent() && postmaster.isPresent();
    }

    /** Backends that exited since the last sample are not counted: the sink's connections live through a round. */
    Sample sample() {
        return new Sample(tree(worker), tree(postmaster));
    }

    private static long tree(Optional<ProcessHandle> root) {
        return root.map(r -> Stream.concat(Stream.of(r), r.descendants())
                        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L)).sum())
                .orElse(0L);
    }
}
