package dev.costmeter.faults.cluster;

import dev.costmeter.faults.schedule.Fault;
import dev.costmeter.faults.schedule.FaultSchedule;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Injects a schedule's faults into a {@link Cluster}, each at its offset from the workload's start,
 * one after the other. A fault that cannot be injected is recorded with its error and the campaign
 * goes on.
 */
public final class FaultInjector {

    private static final Logger log = LoggerFactory.getLogger(FaultInjector.class);

    private final Cluster cluster;
    /** metering's offsets now, taken just before each injection. */
    private final Supplier<Optional<LagSample>> offsets;
    /** Asks the workload for a burst of re-sends: (count, seed) → how many were sent. */
    private final BiFunction<Integer, Long, CompletableFuture<Integer>> resender;
    private final Deque<String> added = new ArrayDeque<>();
    private final List<FaultRecord> records = new ArrayList<>();

    public FaultInjector(Cluster cluster, Supplier<Optional<LagSample>> offsets,
            BiFunction<Integer, Long, CompletableFuture<Integer>> resender) {
        this.cluster = cluster;
        this.offsets = offsets;
        this.resender = resender;
    }

    /**
     * Runs the schedule from {@code startNanos} (a {@link System#nanoTime()}); returns what was injected.
     * A fault starts at its planned time, but never sooner than the schedule's recovery time after the
     * previous fault ended: when a fault overruns (a rolling restart waiting for its replicas), the
     * ones after it run late rather than back to back.
     */
    public List<FaultRecord> run(FaultSchedule schedule, long startNanos) throws InterruptedException {
        long previousEnded = Long.MIN_VALUE;
        for (Fault fault : schedule.faults()) {
            long planned = startNanos + TimeUnit.MILLISECONDS.toNanos(fault.atMs());
            long earliest = previousEnded == Long.MIN_VALUE ? planned
                    : previousEnded + TimeUnit.MILLISECONDS.toNanos(schedule.recoveryMs());
            long at = Math.max(planned, earliest);
            if (at - planned >= TimeUnit.SECONDS.toNanos(1)) {
                log.info("Fault {} runs {} s after its planned time: {} s of recovery after fault {} ended", fault.number(),
                        TimeUnit.NANOSECONDS.toSeconds(at - planned), schedule.recoveryMs() / 1000, fault.number() - 1);
            }
            long wait = at - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            records.add(inject(fault, schedule.seed()));
            previousEnded = System.nanoTime();
        }
        return List.copyOf(records);
    }

    private FaultRecord inject(Fault fault, long seed) throws InterruptedException {
        LagSample before = offsets.get().orElse(null);
        long injectedAt = System.currentTimeMillis();
        String target = fault.target();
        log.info("Fault {}: {} ({})", fault.number(), fault.kind().label(), fault.kind().description());
        try {
            target = resolve(fault);
            switch (fault.kind()) {
                case BROKER_KILL, CONTROLLER_KILL, POSTGRES_RESTART -> killHeld(target, fault.holdMs());
                case ROLLING_BROKER_RESTART -> {
                    cluster.rollingBrokerRestart();
                    target = "every broker";
                }
                case METERING_KILL, ALERTING_KILL, CONNECT_KILL -> cluster.component(target).kill();
                case METERING_ZOMBIE -> {
                    ProcessControl instance = cluster.component(target);
                    instance.pause();
                    sleep(fault.holdMs());
                    instance.resume();
                }
                case SCALE_OUT -> {
                    target = cluster.addMeteringInstance();
                    added.push(target);
                }
                case SCALE_IN -> cluster.removeMeteringInstance(target);
                case REGISTRY_OUTAGE -> registryOutage(target, fault.holdMs());
                case RESEND_BURST -> target = resender.apply(fault.amount(), seed * 31 + fault.number())
                        .get(2, TimeUnit.MINUTES) + " re-sends";
            }
            log.info("Fault {} on {} done", fault.number(), target);
            return new FaultRecord(fault, target, injectedAt, System.currentTimeMillis(), before, null);
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            log.error("Fault {} ({} on {}) could not be injected: {}", fault.number(), fault.kind().label(), target, e.toString());
            return new FaultRecord(fault, target, injectedAt, System.currentTimeMillis(), before, e.toString());
        }
    }

    private String resolve(Fault fault) throws Exception {
        String target = fault.target();
        return switch (fault.kind()) {
            case CONTROLLER_KILL -> cluster.activeController();
            case SCALE_IN -> added.isEmpty() ? last(cluster.meteringInstances()) : added.pop();
            case CONNECT_KILL -> cluster.connect();
            case POSTGRES_RESTART -> cluster.postgresComponent();
            default -> target.startsWith("metering#") ? pick(cluster.meteringInstances(), target)
                    : target.startsWith("alerting#") ? pick(cluster.alertingInstances(), target) : target;
        };
    }

    private static String pick(List<String> instances, String target) {
        int index = Integer.parseInt(target.substring(target.indexOf('#') + 1));
        return instances.get(index % instances.size());
    }

    private static String last(List<String> instances) {
        return instances.get(instances.size() - 1);
    }

    /** kill -9 while held down (the supervisor leaves it down), wait, release (it starts again). */
    private void killHeld(String name, long holdMs) throws InterruptedException {
        ProcessControl component = cluster.component(name);
        component.holdDown();
        try {
            component.kill();
            sleep(holdMs);
        } finally {
            component.release();
        }
    }

    /**
     * The registry down; a third of the way in, a stream app restarted (it must wait for the registry,
     * not dead-letter); the registry back. The restart runs beside the outage, in case starting waits
     * for the app to be healthy, which it cannot be before the registry returns.
     */
    private void registryOutage(String app, long holdMs) throws Exception {
        ProcessControl registry = cluster.component(cluster.registry());
        CompletableFuture<Void> restart = null;
        registry.holdDown();
        try {
            registry.kill();
            sleep(holdMs / 3);
            ProcessControl instance = cluster.component(app);
            restart = CompletableFuture.runAsync(() -> {
                try {
                    instance.restart();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            sleep(holdMs - holdMs / 3);
        } finally {
            registry.release();
        }
        restart.get(3, TimeUnit.MINUTES);
    }

    private static void sleep(long ms) throws InterruptedException {
        Thread.sleep(Duration.ofMillis(ms).toMillis());
    }
}
