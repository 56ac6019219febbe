package dev.costmeter.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the committed Node examples ({@code client/src/test/node}) the way a Node service would:
 * their dependencies installed with {@code npm ci} from the committed lock file into
 * {@code target/node-client} (never into the source tree), then {@code node <script>}. A machine
 * without {@code node} or {@code npm} skips the test that needs them, saying so.
 */
final class NodeScripts {

    private static final Path SOURCES = StackConfig.checkoutRoot().resolve("client/src/test/node");
    private static final Path INSTALL = Path.of("target", "node-client").toAbsolutePath();

    private NodeScripts() {
    }

    /** Skips the calling test, with the reason, when Node or npm is absent; installs once per JVM otherwise. */
    static synchronized Path installed() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("node") && onPath("npm"),
                "node and npm are not on the PATH: the Node client examples are not run on this machine");
        Files.createDirectories(INSTALL);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(SOURCES.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(INSTALL.resolve("node_modules/kafkajs"))) {
            Result npm = run(INSTALL, List.of("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"), Map.of(), 300);
            if (npm.exitCode() != 0) {
                throw new IllegalStateException("npm ci failed (" + npm.exitCode() + "):\n" + npm.stderr());
            }
        }
        return INSTALL;
    }

    /** Runs {@code node <script>} from the committed examples with the installed modules; stdout by line. */
    static Result node(String script, Map<String, String> env, long timeoutSeconds) throws IOException, InterruptedException {
        Path dir = installed();
        Files.copy(SOURCES.resolve(script), dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        return run(dir, List.of("node", script), env, timeoutSeconds);
    }

    /** Starts {@code node <script>} and returns the running process (stdout and stderr to the files named). */
    static Process start(String script, Map<String, String> env, Path stdout, Path stderr) throws IOException, InterruptedException {
        Path dir = installed();
        Files.copy(SOURCES.resolve(script), dir.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder("nice", "-n", "19", "node", script).directory(dir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Result run(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds)
            throws IOException, InterruptedException {
        List<String> niced = new ArrayList<>(List.of("nice", "-n", "19"));
        niced.addAll(command);
        Path out = Files.createTempFile("node-out", ".txt");
        Path err = Files.createTempFile("node-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(niced).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s; stderr:\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        Result result = new Result(process.exitValue(), Files.readAllLines(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return result;
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** How a script ended: its exit code, its stdout lines and its stderr. */
    record Result(int exitCode, List<String> stdout, String stderr) {
    }
}
