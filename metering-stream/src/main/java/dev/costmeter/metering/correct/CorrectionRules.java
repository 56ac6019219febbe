package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.runtime.deadletter.DecodeOrDeadLetter;
import dev.costmeter.schemas.validation.RejectReason;
import java.util.Optional;

/**
 * What a correction request must satisfy before metering applies it: its ids, its key (the task_id,
 * so it reaches the partition that holds the task's totals) and amounts that agree with each other.
 * A request that breaks a rule is dead-lettered, never half-applied.
 */
public final class CorrectionRules implements DecodeOrDeadLetter.Rules<LedgerCorrection> {

    /** The dead-letter reason of a correction whose amounts do not add up. */
    public static final String INCONSISTENT_AMOUNTS = "inconsistent-amounts";

    @Override
    public Optional<DecodeOrDeadLetter.Rejection> check(String key, LedgerCorrection c, long nowMs) {
        for (String[] required : new String[][] {{"correction_id", c.getCorrectionId()}, {"event_id", c.getEventId()},
                {"task_id", c.getTaskId()}, {"tenant_id", c.getTenantId()}, {"provider", c.getProvider()},
                {"model", c.getModel()}}) {
            if (required[1] == null || required[1].isBlank()) {
                return reject(RejectReason.MISSING_FIELD.tag(), required[0] + " is blank");
            }
        }
        if (!c.getTaskId().equals(key)) {
            return reject(RejectReason.KEY_MISMATCH.tag(), "key " + key + " is not the task_id " + c.getTaskId());
        }
        String expectedId = CorrectionIds.of(c.getEventId(), c.getNewPriceVersion());
        if (!expectedId.equals(c.getCorrectionId())) {
            return reject(INCONSISTENT_AMOUNTS, "correction_id " + c.getCorrectionId() + " is not " + expectedId);
        }
        if (c.getNewCostNanos() < 0 || c.getOldCostNanos() < 0) {
            return reject(RejectReason.NEGATIVE_VALUE.tag(), "a cost is negative");
        }
        try {
            if (Math.subtractExact(c.getNewCostNanos(), c.getOldCostNanos()) != c.getCostDeltaNanos()) {
                return reject(INCONSISTENT_AMOUNTS, "cost_delta_nanos " + c.getCostDeltaNanos() + " is not "
                        + c.getNewCostNanos() + " - " + c.getOldCostNanos());
            }
            long components = Math.addExact(Math.addExact(Math.addExact(c.getInputCostDeltaNanos(), c.getOutputCostDeltaNanos()),
                    Math.addExact(c.getCacheReadCostDeltaNanos(), c.getCacheWriteCostDeltaNanos())), c.getRequestFeesCostDeltaNanos());
            if (components != c.getCostDeltaNanos()) {
                return reject(INCONSISTENT_AMOUNTS, "the component deltas add up to " + components + ", not "
                        + c.getCostDeltaNanos());
            }
        } catch (ArithmeticException e) {
            return reject(INCONSISTENT_AMOUNTS, "the amounts overflow a long");
        }
        if (c.getEventTime().toEpochMilli() < 0) {
            return reject(RejectReason.INVALID_EVENT_TIME.tag(), "event_time is before 1970");
        }
        return Optional.empty();
    }

    private static Optional<DecodeOrDeadLetter.Rejection> reject(String reason, String detail) {
        return Optional.of(new DecodeOrDeadLetter.Rejection(reason, detail));
    }
}
