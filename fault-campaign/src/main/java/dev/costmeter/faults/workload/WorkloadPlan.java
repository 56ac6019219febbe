package dev.costmeter.faults.workload;

import java.util.List;

/**
 * A generated workload: its steps in send order and what was designed into it.
 *
 * @param calls           every call, by {@link PlannedCall#index()}
 * @param cappedTenant    the tenant whose DAY budget the campaign sets so that its spend crosses it
 * @param capLimitNanos   that budget, derived from the tenant's planned spend
 */
public record WorkloadPlan(WorkloadSpec spec, List<Step> steps, List<PlannedCall> calls, List<PlannedOutcome> outcomes,
        List<PlannedPoison> poison, List<DesignedRunaway> runaways, String cappedTenant, long capLimitNanos) {

    /** Offset of the last step. */
    public long lastOffsetMs() {
        return steps.isEmpty() ? 0 : steps.get(steps.size() - 1).offsetMs();
    }

    public long resends() {
        return steps.stream().filter(s -> s instanceof Step.Resend).count();
    }
}
