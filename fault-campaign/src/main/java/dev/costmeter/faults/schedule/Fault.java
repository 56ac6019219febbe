package dev.costmeter.faults.schedule;

/**
 * One fault of a schedule.
 *
 * @param atMs   when it is injected, from the start of the workload
 * @param target what it hits: a component ({@code kafka-2}), {@code controller} (whichever broker is the
 *               active controller then), {@code metering#1} (the instance at that index, modulo how many
 *               run then), {@code alerting#0}; for a registry outage, the app restarted inside it; empty
 *               when the fault hits no one component
 * @param holdMs how long the fault lasts: a component held down, an instance paused, the registry out
 * @param amount the size of a re-send burst
 */
public record Fault(int number, FaultKind kind, long atMs, String target, long holdMs, int amount) {
}
