package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.metering.state.TaskClassStats;

/**
 * A correction metering has just applied to its task's totals, with what it changes in the
 * task-class table (null when the task has no outcome yet: the outcome will count the corrected total).
 */
public record AppliedCorrection(LedgerCorrection correction, TaskClassStats taskClassDelta) {
}
