package dev.costmeter.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a component's JVM: started through {@link ChildMain}, logging to its own file. Its
 * {@link #pid()} is the JVM's own, so that signals sent to it reach the JVM.
 */
public final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private static final Optional<Path> SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .map(Path::of).filter(Files::isExecutable).findFirst();

    private final String name;
    private final int port;
    private final Path logFile;
    private final Process process;

    private ChildProcess(String name, int port, Path logFile, Process process) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        this.process = process;
    }

    /** Wraps a process started elsewhere (tests). */
    static ChildProcess of(String name, int port, Path logFile, Process process) {
        return new ChildProcess(name, port, logFile, process);
    }

    static ChildProcess start(StackConfig config, String name, int port, String mainClass, List<String> jvmOptions,
            Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(config.logDir());
        Path logFile = config.logDir().resolve(name + ".log");
        List<String> command = new ArrayList<>();
        if (SETSID.isPresent()) {
            // Own session: Ctrl-C in the terminal reaches only the supervisor, which then stops
            // the components one by one in order instead of all at once. setsid execs the JVM in
            // place (it forks only when its caller leads a process group, which a child of this
            // JVM never does), so the pid we get is the JVM's.
            command.add(SETSID.get().toString());
        }
        command.add(config.javaBinary());
        String logging = System.getProperty(LauncherLogging.CHILD_CONFIG_PROPERTY);
        if (logging != null && jvmOptions.stream().noneMatch(o -> o.startsWith("-Dlogback.configurationFile="))) {
            // The launcher's children log by their own configuration (to stdout, that is to this log file);
            // without it, each would take the first logback.xml on the inherited classpath.
            command.add("-Dlogback.configurationFile=" + logging);
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChildMain.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(mainClass);
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        Process process = builder.start();
        log.info("Started {} (pid {}), log {}", name, process.pid(), logFile);
        return new ChildProcess(name, port, logFile, process);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code, or -1 while it runs (a JVM killed by signal N exits with 128 + N). */
    public int exitCode() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    Process process() {
        return process;
    }

    /** Runs {@code action} once the process has exited, however it exits. */
    void onExit(Runnable action) {
        process.onExit().thenRun(action);
    }

    /** SIGKILL, and waits until the process is gone. */
    void kill() {
        if (!process.isAlive()) {
            return;
        }
        log.info("Killing {} (pid {})", name, process.pid());
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM (its shutdown hooks run); no waiting. */
    void terminate() {
        if (process.isAlive()) {
            log.info("Stopping {} (pid {})", name, process.pid());
            process.destroy();
        }
    }

    /** Waits up to {@code timeout} for the process to exit; whether it did. */
    boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Asks the process to stop (SIGTERM, so its shutdown hooks run) and waits; kills it after {@code grace}. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        terminate();
        if (!awaitExit(grace)) {
            log.warn("{} did not stop within {}; killing it", name, grace);
            kill();
        }
    }

    /** A message naming the component, its port and its log, for when it fails. */
    String failure(String what) {
        return name + " (port " + port + ") " + what + "; see its log: " + logFile;
    }
}
