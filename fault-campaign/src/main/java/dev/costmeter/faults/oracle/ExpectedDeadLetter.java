package dev.costmeter.faults.oracle;

import dev.costmeter.faults.workload.PoisonKind;

/** A bad record that must be in the usage DLQ exactly once, with {@code reason}. */
public record ExpectedDeadLetter(int poisonIndex, PoisonKind kind, String reason, String key) {
}
