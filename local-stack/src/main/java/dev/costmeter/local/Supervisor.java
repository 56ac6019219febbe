package dev.costmeter.local;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What the stack's components share to restart themselves: the thread that runs restarts (one, so
 * that restarts happen one at a time), the clock that times how long a component stayed up, and
 * whether the stack is closing. Once closing, nothing is restarted any more: {@link #close()} drops
 * every pending restart and waits for one in progress, so stopping the stack never races with a
 * restart.
 */
final class Supervisor implements AutoCloseable {

    /** Runs tasks after a delay; a seam for tests, which run them by hand. */
    interface Scheduler {
        /** Runs {@code task} after {@code delay}; the returned handle cancels it if it has not started. */
        Runnable schedule(Runnable task, Duration delay);

        /** Drops pending tasks and waits for a running one. */
        void shutdown();
    }

    private final Scheduler scheduler;
    private final Clock clock;
    private volatile boolean closing;

    Supervisor(Scheduler scheduler, Clock clock) {
        this.scheduler = scheduler;
        this.clock = clock;
    }

    static Supervisor standard() {
        return new Supervisor(new ThreadScheduler(), Clock.systemUTC());
    }

    Instant now() {
        return clock.instant();
    }

    boolean closing() {
        return closing;
    }

    /** Runs {@code task} after {@code delay} unless the stack is closing; the handle cancels it. */
    Runnable schedule(Runnable task, Duration delay) {
        if (closing) {
            return () -> { };
        }
        return scheduler.schedule(() -> {
            if (!closing) {
                task.run();
            }
        }, delay);
    }

    @Override
    public void close() {
        closing = true;
        scheduler.shutdown();
    }

    /** One daemon thread; pending tasks are dropped at shutdown. */
    private static final class ThreadScheduler implements Scheduler {

        private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "costmeter-supervisor");
            thread.setDaemon(true);
            return thread;
        });

        ThreadScheduler() {
            executor.setRemoveOnCancelPolicy(true);
            executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        }

        @Override
        public Runnable schedule(Runnable task, Duration delay) {
            try {
                var future = executor.schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
                return () -> future.cancel(false);
            } catch (RejectedExecutionException shutDown) {
                return () -> { };
            }
        }

        @Override
        public void shutdown() {
            executor.shutdown();
            try {
                executor.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
