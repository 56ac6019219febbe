package dev.costmeter.connect.ledger;

/** The record types the ledger sink writes, each to its own table. */
public enum RecordKind {
    /** {@code PricedUsage} from the ledger topic, into {@code ledger}. */
    PRICED_USAGE,
    /** {@code CostRollup} from the rollups topic, into {@code rollups}. */
    COST_ROLLUP,
    /** {@code TaskOutcome} from the task-outcomes topic, into {@code task_outcomes}. */
    TASK_OUTCOME
}
