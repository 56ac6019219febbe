package dev.costmeter.deploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One supervised JVM of the local stack: started through {@link ChildMain}, logging to its own file. */
public final class ChildProcess {

    private static final Logger log = LoggerFactory.getLogger(ChildProcess.class);

    private static final java.util.Optional<Path> SETSID = java.util.stream.Stream.of("/usr/bin/setsid", "/bin/setsid")
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

    static ChildProcess start(StackConfig config, String name, int port, String mainClass, List<String> jvmOptions,
            Map<String, String> env, String... args) throws IOException {
        Files.createDirectories(config.logDir());
        Path logFile = config.logDir().resolve(name + ".log");
        List<String> command = new ArrayList<>();
        if (SETSID.isPresent()) {
            // Own session: Ctrl-C in the terminal reaches only the supervisor, which then stops
            // the components one by one in order instead of all at once.
            command.add(SETSID.get().toString());
        }
        command.add(config.javaBinary());
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

    public boolean isAlive() {
        return process.isAlive();
    }

    public Process process() {
        return process;
    }

    /** Asks the process to stop (SIGTERM, so its shutdown hooks run) and waits; kills it after {@code grace}. */
    void stop(Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        log.info("Stopping {} (pid {})", name, process.pid());
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not stop within {}; killing it", name, grace);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    /** A message naming the component, its port and its log, for when it fails. */
    String failure(String what) {
        return name + " (port " + port + ") " + what + "; see its log: " + logFile;
    }
}
