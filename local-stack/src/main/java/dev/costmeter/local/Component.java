package dev.costmeter.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One supervised component of the local stack (a broker, the registry, PostgreSQL, an app instance,
 * the Connect worker) across all its runs. Once the stack is up, the supervisor restarts it when
 * it exits on its own, after a back-off of 1 s doubling to 30 s (reset once it has stayed up for a
 * minute), unless it is held down or was stopped on purpose. Every method is safe to call from any
 * thread, also while the supervisor restarts it.
 *
 * <ul>
 *   <li>{@link #kill()}: SIGKILL now; the supervisor restarts it like any crash;</li>
 *   <li>{@link #holdDown()} / {@link #release()}: while held down it is not restarted (an outage
 *       one controls: hold down, then kill); release restarts it at once if it is down;</li>
 *   <li>{@link #terminate()}: SIGTERM and wait (graceful); it stays down, like one held down, until
 *       {@link #start()} or {@link #restart()};</li>
 *   <li>{@link #pause()} / {@link #resume()}: SIGSTOP / SIGCONT (a zombie that misses its session
 *       timeout, then comes back).</li>
 * </ul>
 */
public final class Component {

    private static final Logger log = LoggerFactory.getLogger(Component.class);
    /** A component gets this long to stop after SIGTERM before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(30);

    /** Starts one run of a component. */
    @FunctionalInterface
    interface Launcher {
        ChildProcess launch() throws IOException;
    }

    /** What "healthy" means for a component, and how to check it once. */
    record HealthProbe(String what, BooleanSupplier check) {
    }

    private final String name;
    private final int port;
    private final Path logFile;
    private final Launcher launcher;
    private final HealthProbe probe;
    private final Supervisor supervisor;
    /** Processes of the component other than its JVM (PostgreSQL's server), signalled with it. */
    private final Supplier<List<ProcessHandle>> companions;
    private final RestartBackoff backoff = RestartBackoff.standard();

    // Guarded by this.
    private ChildProcess current;
    private Instant startedAt;
    private boolean supervised;
    private boolean heldDown;
    private boolean stoppedOnPurpose;
    private boolean retired;
    private boolean paused;
    private int restarts;
    private Runnable pendingRestart;

    Component(String name, int port, Path logFile, Launcher launcher, HealthProbe probe, Supervisor supervisor,
            Supplier<List<ProcessHandle>> companions) {
        this.name = name;
        this.port = port;
        this.logFile = logFile;
        this.launcher = launcher;
        this.probe = probe;
        this.supervisor = supervisor;
        this.companions = companions;
    }

    public String name() {
        return name;
    }

    /** The port it serves on (a broker's client port). */
    public int port() {
        return port;
    }

    public Path logFile() {
        return logFile;
    }

    /** The pid of its current (or last) JVM; -1 before its first start. */
    public synchronized long pid() {
        return current == null ? -1 : current.pid();
    }

    public synchronized boolean isAlive() {
        return current != null && current.isAlive();
    }

    /** How many times the supervisor restarted it after it exited on its own. */
    public synchronized int restarts() {
        return restarts;
    }

    public synchronized boolean isHeldDown() {
        return heldDown;
    }

    /** Whether it runs and answers its health probe now. */
    public boolean isHealthy() {
        return isAlive() && probe.check().getAsBoolean();
    }

    /** Waits until it runs and answers its health probe. */
    public void awaitHealthy(Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!isHealthy()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException(name + " (port " + port + ") did not " + probe.what() + " within "
                        + timeout.toSeconds() + " s; see its log: " + logFile);
            }
            TimeUnit.MILLISECONDS.sleep(500);
        }
    }

    /** Starts it now unless it runs; lifts a hold-down and a {@link #terminate()}. */
    public synchronized void start() throws IOException {
        heldDown = false;
        stoppedOnPurpose = false;
        cancelPendingRestart();
        if (!isAlive()) {
            launch();
        }
    }

    /** Graceful stop, then start. */
    public void restart() throws IOException {
        terminate();
        start();
    }

    /** SIGKILL now (waits until it is gone); the supervisor restarts it unless it is held down. */
    public void kill() {
        ChildProcess child;
        synchronized (this) {
            child = current;
            for (ProcessHandle companion : companions.get()) {
                companion.destroyForcibly();
            }
        }
        if (child != null) {
            child.kill();
        }
    }

    /** SIGTERM and waits for it to stop (killing it after 30 s); it stays down until started. */
    public void terminate() {
        terminate(STOP_GRACE);
    }

    /** The supervisor stops restarting it: it stays down after any exit until {@link #release()} or {@link #start()}. */
    public synchronized void holdDown() {
        heldDown = true;
        cancelPendingRestart();
    }

    /** Lifts {@link #holdDown()}: if it is down (and was not terminated), it is restarted at once. */
    public synchronized void release() {
        heldDown = false;
        if (supervised && !retired && !stoppedOnPurpose && !isAlive() && pendingRestart == null) {
            scheduleRestart(Duration.ZERO);
        }
    }

    /** SIGSTOP: it stops answering anything (brokers, coordinators and clients time it out) but keeps its state. */
    public synchronized void pause() {
        if (isAlive() && !paused) {
            signalAll("STOP");
            paused = true;
        }
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        if (paused) {
            signalAll("CONT");
            paused = false;
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }

    // --- used by the stack ---

    /** From now on an unexpected exit is restarted (the stack is up). */
    void supervise() {
        ChildProcess exited;
        synchronized (this) {
            supervised = true;
            exited = current != null && !current.isAlive() ? current : null;
        }
        if (exited != null) {
            exited(exited);
        }
    }

    /** Stops it for good (stack closing, instance removed): never restarted again. */
    void retire(Duration grace) {
        synchronized (this) {
            retired = true;
        }
        terminate(grace);
    }

    /** Whether it should be running: started, and neither held down nor stopped on purpose. */
    synchronized boolean expectedUp() {
        return current != null && !heldDown && !stoppedOnPurpose && !retired;
    }

    HealthProbe probe() {
        return probe;
    }

    /** A message naming the component, its port and its log, for when it fails. */
    String failure(String what) {
        return name + " (port " + port + ") " + what + "; see its log: " + logFile;
    }

    // --- internals ---

    private void terminate(Duration grace) {
        ChildProcess child;
        synchronized (this) {
            stoppedOnPurpose = true;
            cancelPendingRestart();
            child = current;
            if (child == null || !child.isAlive()) {
                return;
            }
            if (paused) {
                // A stopped process cannot act on SIGTERM.
                signalAll("CONT");
                paused = false;
            }
            child.terminate();
        }
        if (!child.awaitExit(grace)) {
            log.warn("{} did not stop within {} s; killing it", name, grace.toSeconds());
            child.kill();
        }
        synchronized (this) {
            // A server process left behind by a JVM that did not stop cleanly must not hold the port.
            companions.get().forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void launch() throws IOException {
        ChildProcess child = launcher.launch();
        current = child;
        startedAt = supervisor.now();
        paused = false;
        child.onExit(() -> supervisor.schedule(() -> exited(child), Duration.ZERO));
    }

    private void exited(ChildProcess child) {
        synchronized (this) {
            if (child != current || !supervised || retired || stoppedOnPurpose || supervisor.closing()) {
                return;
            }
            paused = false;
            if (heldDown) {
                log.warn("{} (port {}) exited with code {}; held down, so not restarted", name, port, child.exitCode());
                return;
            }
            Duration delay = backoff.delayAfterExit(Duration.between(startedAt, supervisor.now()));
            log.warn("{} (port {}) exited with code {}; restart {} in {} s", name, port, child.exitCode(), restarts + 1,
                    delay.toSeconds());
            if (backoff.crashLooping()) {
                log.error("{} KEEPS CRASHING: {} exits in a row, each within {} s of its start; still restarting it, "
                        + "the rest of the stack keeps running; see its log: {}", name, backoff.exitsInARow(),
                        backoff.stableAfter().toSeconds(), logFile);
            }
            scheduleRestart(delay);
        }
    }

    private void restartAfterExit() {
        synchronized (this) {
            pendingRestart = null;
            if (retired || heldDown || stoppedOnPurpose || isAlive() || supervisor.closing()) {
                return;
            }
            try {
                launch();
                restarts++;
            } catch (IOException e) {
                Duration delay = backoff.delayAfterExit(Duration.ZERO);
                log.error("{} could not be restarted ({}); next try in {} s", name, e.toString(), delay.toSeconds());
                scheduleRestart(delay);
            }
        }
    }

    private void scheduleRestart(Duration delay) {
        cancelPendingRestart();
        pendingRestart = supervisor.schedule(this::restartAfterExit, delay);
    }

    private void cancelPendingRestart() {
        if (pendingRestart != null) {
            pendingRestart.run();
            pendingRestart = null;
        }
    }

    private void signalAll(String signal) {
        if (current != null && current.isAlive()) {
            Signals.send(current.pid(), signal);
        }
        for (ProcessHandle companion : companions.get()) {
            Signals.send(companion.pid(), signal);
        }
    }
}
