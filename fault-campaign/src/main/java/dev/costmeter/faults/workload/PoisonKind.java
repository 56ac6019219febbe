package dev.costmeter.faults.workload;

/**
 * The bad records the workload sends to the usage topic, each with the reason metering-stream must
 * give when it dead-letters it (header {@code costmeter.dlq.reason}). Every one must land in the
 * usage DLQ exactly once and never be charged.
 */
public enum PoisonKind {
    /** Bytes that are not the Confluent wire format. */
    RANDOM_BYTES("undecodable", true),
    /** A valid UsageEvent body behind a schema id the registry does not have. */
    UNKNOWN_SCHEMA_ID("undecodable", true),
    /** A PricedUsage (the ledger's record) on the usage topic: Avro would resolve it as a UsageEvent. */
    WRONG_RECORD_TYPE("wrong-record-type", false),
    /** An event dated before 1970: Kafka refuses negative timestamps. */
    BEFORE_1970("invalid-event-time", false),
    /** A call whose cost overflows a long: an absurd price times ten million input tokens. */
    COST_OVERFLOW("processing-error", false),
    /** A record whose key is not its task_id. */
    KEY_MISMATCH("key-mismatch", true),
    /** A call with a negative token count. */
    NEGATIVE_TOKENS("negative-value", true);

    private final String reason;
    private final boolean handledBeforeIssue13;

    PoisonKind(String reason, boolean handledBeforeIssue13) {
        this.reason = reason;
        this.handledBeforeIssue13 = handledBeforeIssue13;
    }

    /** The DLQ reason metering-stream must give. */
    public String reason() {
        return reason;
    }

    /**
     * Whether metering dead-letters it without the fixes of issue #13 (defects 1 and 4): the others
     * stop a stream thread or are charged on older code.
     */
    public boolean handledBeforeIssue13() {
        return handledBeforeIssue13;
    }
}
