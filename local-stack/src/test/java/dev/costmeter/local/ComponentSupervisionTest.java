package dev.costmeter.local;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The supervisor's decisions, with processes, time and the restart thread all simulated: which
 * exits are restarted, after how long, what is said about it, and that nothing restarts once the
 * stack is closing.
 */
class ComponentSupervisionTest {

    private final ManualScheduler scheduler = new ManualScheduler();
    private final MutableClock clock = new MutableClock();
    private final Supervisor supervisor = new Supervisor(scheduler, clock);
    private final List<FakeProcess> launched = new ArrayList<>();
    private final ListAppender<ILoggingEvent> console = new ListAppender<>();
    private final Logger componentLog = (Logger) LoggerFactory.getLogger(Component.class);
    private Component component;

    @BeforeEach
    void setUp() throws Exception {
        console.start();
        componentLog.addAppender(console);
        componentLog.setLevel(Level.INFO);
        component = new Component("metering-stream", 8090, Path.of("logs/metering-stream.log"), () -> {
            FakeProcess process = new FakeProcess(1000 + launched.size());
            launched.add(process);
            return ChildProcess.of("metering-stream", 8090, Path.of("logs/metering-stream.log"), process);
        }, new Component.HealthProbe("be healthy", () -> true), supervisor, List::of);
        component.start();
        component.supervise();
    }

    @AfterEach
    void tearDown() {
        componentLog.detachAppender(console);
        componentLog.setLevel(null);
    }

    @Test
    void shouldRestartAComponentThatExitsOnItsOwnOneSecondLaterAndSaySoInOneLine() {
        clock.advance(Duration.ofMinutes(5));
        current().exit(137);

        assertThat(scheduler.runNext()).as("exit noticed at once").isZero();
        assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(warnings()).containsExactly("metering-stream (port 8090) exited with code 137; restart 1 in 1 s");
        assertThat(component.isAlive()).isFalse();

        scheduler.runNext();
        assertThat(launched).hasSize(2);
        assertThat(component.isAlive()).isTrue();
        assertThat(component.pid()).isEqualTo(1001);
        assertThat(component.restarts()).isEqualTo(1);
    }

    @Test
    void shouldBackOffFromOneToThirtySecondsWhileItKeepsCrashingAndSayItLoudly() {
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            clock.advance(Duration.ofSeconds(2));
            current().exit(1);
            scheduler.runNext();
            delays.add(scheduler.nextDelay().toSeconds());
            clock.advance(scheduler.nextDelay());
            scheduler.runNext();
        }

        assertThat(delays).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L);
        assertThat(component.restarts()).isEqualTo(7);
        assertThat(errors()).hasSize(3).first().asString()
                .startsWith("metering-stream KEEPS CRASHING: 5 exits in a row, each within 60 s of its start;");
    }

    @Test
    void shouldStartOverAtOneSecondOnceItStayedUpAMinute() {
        for (int i = 0; i < 3; i++) {
            current().exit(1);
            scheduler.runNext();
            scheduler.runNext();
        }
        clock.advance(Duration.ofSeconds(61));
        current().exit(1);
        scheduler.runNext();

        assertThat(scheduler.nextDelay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void shouldLeaveAComponentHeldDownDownUntilReleasedThenRestartItAtOnce() {
        component.holdDown();
        component.kill();
        scheduler.runAll();

        assertThat(launched).hasSize(1);
        assertThat(component.isAlive()).isFalse();
        assertThat(warnings()).containsExactly("metering-stream (port 8090) exited with code 137; held down, so not restarted");

        component.release();
        assertThat(scheduler.nextDelay()).isZero();
        scheduler.runNext();
        assertThat(launched).hasSize(2);
        assertThat(component.isAlive()).isTrue();
    }

    @Test
    void shouldDropAPendingRestartWhenTheComponentIsHeldDown() {
        current().exit(1);
        scheduler.runNext();
        assertThat(scheduler.pending()).isEqualTo(1);

        component.holdDown();

        assertThat(scheduler.pending()).isZero();
        assertThat(launched).hasSize(1);
    }

    @Test
    void shouldNotRestartAComponentTerminatedOnPurposeUntilStarted() throws Exception {
        component.terminate();
        scheduler.runAll();

        assertThat(launched).hasSize(1);
        assertThat(component.isAlive()).isFalse();
        assertThat(warnings()).isEmpty();

        component.start();
        assertThat(launched).hasSize(2);
        assertThat(component.restarts()).as("restarts counts the supervisor's only").isZero();
    }

    @Test
    void shouldNeverRestartOnceTheStackIsClosingEvenWithARestartAlreadyDue() {
        current().exit(1);
        scheduler.runNext();
        ManualScheduler.Task due = scheduler.take();

        supervisor.close();
        due.task().run();

        assertThat(launched).hasSize(1);
        assertThat(component.isAlive()).isFalse();
    }

    @Test
    void shouldIgnoreTheExitOfARunItAlreadyReplaced() throws Exception {
        FakeProcess first = current();
        component.terminate();
        component.start();
        scheduler.runAll();
        first.exit(143);
        scheduler.runAll();

        assertThat(launched).hasSize(2);
        assertThat(component.restarts()).isZero();
    }

    private FakeProcess current() {
        return launched.get(launched.size() - 1);
    }

    private List<String> warnings() {
        return console.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }

    private List<String> errors() {
        return console.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Runs scheduled tasks only when told, in the order they were scheduled. */
    static final class ManualScheduler implements Supervisor.Scheduler {

        record Task(Runnable task, Duration delay) {
        }

        private final List<Task> tasks = new ArrayList<>();

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            Task scheduled = new Task(task, delay);
            tasks.add(scheduled);
            return () -> tasks.remove(scheduled);
        }

        @Override
        public void shutdown() {
            tasks.clear();
        }

        int pending() {
            return tasks.size();
        }

        Duration nextDelay() {
            return tasks.get(0).delay();
        }

        Task take() {
            return tasks.remove(0);
        }

        Duration runNext() {
            Task next = take();
            next.task().run();
            return next.delay();
        }

        void runAll() {
            while (!tasks.isEmpty()) {
                runNext();
            }
        }
    }

    /** A clock that moves only when told. */
    static final class MutableClock extends Clock {

        private Instant now = Instant.parse("2026-12-01T00:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    /** A process that exits when told (or when destroyed, with a signal's exit code). */
    static final class FakeProcess extends Process {

        private final long pid;
        private final CompletableFuture<Process> exit = new CompletableFuture<>();
        private volatile int code = -1;

        FakeProcess(long pid) {
            this.pid = pid;
        }

        void exit(int exitCode) {
            code = exitCode;
            exit.complete(this);
        }

        @Override
        public long pid() {
            return pid;
        }

        @Override
        public CompletableFuture<Process> onExit() {
            return exit;
        }

        @Override
        public boolean isAlive() {
            return !exit.isDone();
        }

        @Override
        public int exitValue() {
            if (isAlive()) {
                throw new IllegalThreadStateException("running");
            }
            return code;
        }

        @Override
        public int waitFor() {
            return exit.join().exitValue();
        }

        @Override
        public boolean waitFor(long timeout, TimeUnit unit) {
            return !isAlive();
        }

        @Override
        public void destroy() {
            exit(143);
        }

        @Override
        public Process destroyForcibly() {
            exit(137);
            return this;
        }

        @Override
        public OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        public InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        public InputStream getErrorStream() {
            return InputStream.nullInputStream();
        }
    }
}
