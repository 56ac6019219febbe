package dev.costmeter.deploy.demo;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.usage.TokenUsage;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One simulated service of the demo: it checks the kill switch before every call, as a service
 * using the client does, reports usage after it, and ends each task with an outcome.
 */
abstract class Scenario implements Runnable {

    final String name;
    final String tenant;
    final String route;
    final String taskClass;
    final AtomicLong calls = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    /** Calls reported as history before the live traffic ({@link #seedHistory}). */
    final AtomicLong seeded = new AtomicLong();
    volatile String lastRefusal;
    private final Duration pause;
    private final DemoServices services;
    final Random random;
    /** History to report before the live traffic, if any; see {@link DemoWorkload}. */
    private volatile History history;
    /** While reporting history: the event time of the task being reported (this scenario's own thread only). */
    private Instant historyTime;

    /**
     * The scenario's traffic as it would have been over {@code equivalent} of live running, spread
     * evenly over [{@code from}, {@code to}).
     */
    record History(Instant from, Instant to, Duration equivalent) {
    }

    Scenario(String name, String tenant, String route, String taskClass, Duration pause, DemoServices services, long seed) {
        this.name = name;
        this.tenant = tenant;
        this.route = route;
        this.taskClass = taskClass;
        this.pause = pause;
        this.services = services;
        this.random = new Random(seed);
    }

    /** Runs one task: some calls through {@link #call}, then its outcome. */
    abstract void task(String taskId) throws InterruptedException;

    /** Reports {@code history} first when the scenario runs (before its live traffic). */
    Scenario withHistory(History history) {
        this.history = history;
        return this;
    }

    @Override
    public void run() {
        try {
            if (history != null) {
                seedHistory(history);
            }
            while (!Thread.currentThread().isInterrupted()) {
                task(name + "-" + UUID.randomUUID().toString().substring(0, 8));
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Runs as many tasks as the live loop runs in {@code history.equivalent()} (one per pause), each
     * stamped with a time within the history's span, without pausing. Reports wait for room in the
     * reporter's buffer rather than be dropped.
     */
    private void seedHistory(History history) throws InterruptedException {
        long tasks = history.equivalent().toMillis() / Math.max(1, pause.toMillis());
        long spanMs = Duration.between(history.from(), history.to()).toMillis();
        try {
            for (long i = 0; i < tasks && !Thread.currentThread().isInterrupted(); i++) {
                historyTime = history.from().plusMillis(spanMs * i / tasks);
                task(name + "-history-" + UUID.randomUUID().toString().substring(0, 8));
            }
        } finally {
            historyTime = null;
        }
    }

    /** One model call: refused when a switch blocks it, else reported. Returns false when refused. */
    boolean call(String taskId, String promptVersion, String provider, String model, TokenUsage tokens, CallStatus status,
            int attempt, boolean batch) {
        KillSwitchClient switches = services.switches();
        Decision decision = switches.check(tenant, route, promptVersion, taskId, null);
        if (!decision.allowed()) {
            refused.incrementAndGet();
            lastRefusal = decision.toString();
            return false;
        }
        UsageReporter reporter = historyTime == null ? services.reporter() : services.historyReporter();
        String billed = decision instanceof Decision.Degrade degrade ? degrade.model() : model;
        if (historyTime != null) {
            while (!reporter.call().tenant(tenant).task(taskId, taskClass).route(route).promptVersion(promptVersion)
                    .model(provider, billed).usage(tokens).status(status).attempt(attempt).batch(batch)
                    .eventTime(historyTime).report()) {
                if (!waitForBufferRoom()) {
                    return false;
                }
            }
            seeded.incrementAndGet();
            return true;
        }
        reporter.call().tenant(tenant).task(taskId, taskClass).route(route).promptVersion(promptVersion)
                .model(provider, billed).usage(tokens).status(status).attempt(attempt)
                .batch(batch).report();
        calls.incrementAndGet();
        return true;
    }

    /** Whether to try again: false once the demo is stopping. */
    private static boolean waitForBufferRoom() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void finish(String taskId, Outcome outcome) {
        services.outcome(taskId, tenant, taskClass, route, outcome);
    }

    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }
}
