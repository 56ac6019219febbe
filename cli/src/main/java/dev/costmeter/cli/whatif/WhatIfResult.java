package dev.costmeter.cli.whatif;

import java.util.List;
import java.util.Map;

/**
 * Base against scenario over the same calls and tasks, every amount in nano-USD.
 *
 * @param selectedCalls     ledgered calls of the period that the filters select
 * @param unpricedInBase    of them, calls unpriced in the ledger (after corrections): left out of both totals
 * @param unpricedInScenario of them, calls the scenario's price cannot price, by reason: left out of both totals
 * @param unpricedInScenarioBaseNanos what the ledger charged for those calls
 * @param base              the period as it was
 * @param scenario          the period under the scenario
 * @param successBases      how the scenario's successful tasks were reckoned, per task_class
 * @param movedToBatch      calls the scenario sent through batch
 * @param batchWithoutRate  of them, calls whose price has no batch rate (they pay standard rates)
 * @param cappedCalls       calls whose output the cap cut
 * @param outputTokensCut   output tokens the cap removed
 */
public record WhatIfResult(long selectedCalls, long unpricedInBase, Map<String, Long> unpricedInScenario,
        long unpricedInScenarioBaseNanos, Side base, Side scenario, List<SuccessBasis> successBases, long movedToBatch,
        long batchWithoutRate, long cappedCalls, long outputTokensCut) {

    /**
     * One side of the comparison.
     *
     * @param calls           calls compared (priced on both sides)
     * @param costNanos       their cost
     * @param tasks           tasks the compared calls belong to
     * @param tasksWithOutcome of them, tasks with an outcome
     * @param successfulTasks successful tasks: counted in the base, expected (rate × tasks with an outcome) in the scenario
     */
    public record Side(long calls, long costNanos, long tasks, long tasksWithOutcome, Ratio successfulTasks) {

        /** Cost over successful tasks, rounded half-up to a nano-USD; null when no task succeeded. */
        public Long costPerSuccessfulTaskNanos() {
            return successfulTasks.isZero() ? null : successfulTasks.divide(costNanos);
        }
    }

    /** Where a success rate came from. */
    public enum RateSource {
        /** The base's own observed rate: the scenario leaves success unchanged. */
        UNCHANGED,
        /** Given with --success-rate. */
        GIVEN,
        /** Observed for the scenario model on the task_class in the period. */
        OBSERVED
    }

    /**
     * The success rate the scenario applies to one task_class's tasks with an outcome.
     *
     * @param observedSuccesses with OBSERVED, the successes behind the rate
     * @param observedTasks     with OBSERVED, the tasks with an outcome behind the rate
     */
    public record SuccessBasis(String taskClass, long tasksWithOutcome, Ratio rate, RateSource source,
            long observedSuccesses, long observedTasks) {
    }

    public long comparedCalls() {
        return base.calls();
    }

    public long unpricedInScenarioCalls() {
        return unpricedInScenario.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Scenario minus base cost. */
    public long costDifferenceNanos() {
        return Math.subtractExact(scenario.costNanos(), base.costNanos());
    }

    /** Scenario minus base cost per successful task, each rounded first; null when either side has no success. */
    public Long costPerSuccessfulTaskDifferenceNanos() {
        Long b = base.costPerSuccessfulTaskNanos();
        Long s = scenario.costPerSuccessfulTaskNanos();
        return b == null || s == null ? null : Math.subtractExact(s, b);
    }

    /** The scenario costs less in total but more per successful task: the trap a cheaper model can be. */
    public boolean cheaperButDearerPerSuccess() {
        Long perSuccess = costPerSuccessfulTaskDifferenceNanos();
        return costDifferenceNanos() < 0 && perSuccess != null && perSuccess > 0;
    }

    /** The scenario costs more in total but less per successful task. */
    public boolean dearerButCheaperPerSuccess() {
        Long perSuccess = costPerSuccessfulTaskDifferenceNanos();
        return costDifferenceNanos() > 0 && perSuccess != null && perSuccess < 0;
    }
}
