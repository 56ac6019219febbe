package dev.costmeter.faults.cluster;

import dev.costmeter.faults.schedule.Fault;

/**
 * A fault as it was injected.
 *
 * @param target     the component it hit, resolved when it was injected
 * @param injectedAt wall-clock epoch millis of the injection
 * @param endedAt    when the fault's action was over (component released, instance resumed, burst sent)
 * @param before     metering's offsets just before the injection, or null when they could not be read
 * @param error      why the injection failed, or null
 */
public record FaultRecord(Fault fault, String target, long injectedAt, long endedAt, LagSample before, String error) {
}
