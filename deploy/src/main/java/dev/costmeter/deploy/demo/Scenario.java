package dev.costmeter.deploy.demo;

import dev.costmeter.client.killswitch.Decision;
import dev.costmeter.client.killswitch.KillSwitchClient;
import dev.costmeter.client.usage.TokenUsage;
import dev.costmeter.client.usage.UsageReporter;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import java.time.Duration;
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
    volatile String lastRefusal;
    private final Duration pause;
    private final DemoServices services;
    final Random random;

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

    @Override
    public void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                task(name + "-" + UUID.randomUUID().toString().substring(0, 8));
                Thread.sleep(pause.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        UsageReporter reporter = services.reporter();
        reporter.call().tenant(tenant).task(taskId, taskClass).route(route).promptVersion(promptVersion)
                .model(provider, decision instanceof Decision.Degrade degrade ? degrade.model() : model).usage(tokens).status(status).attempt(attempt)
                .batch(batch).report();
        calls.incrementAndGet();
        return true;
    }

    void finish(String taskId, Outcome outcome) {
        services.outcome(taskId, tenant, taskClass, route, outcome);
    }

    int between(int low, int high) {
        return low + random.nextInt(high - low + 1);
    }
}
