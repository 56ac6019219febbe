package dev.costmeter.faults.campaign;

import dev.costmeter.faults.price.CampaignPrices;
import dev.costmeter.faults.schedule.FaultSchedule;
import dev.costmeter.faults.schedule.ScheduleOptions;
import dev.costmeter.faults.workload.WorkloadPlan;
import dev.costmeter.faults.workload.WorkloadPlanner;
import dev.costmeter.faults.workload.WorkloadSpec;
import java.util.Locale;

/**
 * A campaign's schedule and workload, both pure functions of the seed: the workload spans the schedule
 * (so every fault happens under load) at {@code calls / length} events per second, unless a rate is
 * given, in which case the schedule must fit in {@code calls / rate}.
 */
public record CampaignPlan(FaultSchedule schedule, WorkloadPlan workload, long ratePerSecond) {

    public static CampaignPlan of(long seed, int calls, int faults, Long ratePerSecond, ScheduleOptions options,
            int loopLimit, int callsPerMinuteLimit) {
        return of(FaultSchedule.generate(seed, faults, options), calls, ratePerSecond, loopLimit, callsPerMinuteLimit);
    }

    /** The workload of {@code calls} calls spanning {@code schedule} (the seed is the schedule's). */
    public static CampaignPlan of(FaultSchedule schedule, int calls, Long ratePerSecond, int loopLimit,
            int callsPerMinuteLimit) {
        long seed = schedule.seed();
        int faults = schedule.faults().size();
        long durationMs = schedule.lengthMs();
        if (ratePerSecond != null) {
            durationMs = calls * 1_000L / ratePerSecond;
            if (durationMs < schedule.lengthMs()) {
                throw new IllegalArgumentException(String.format(Locale.ROOT,
                        "%d calls at %d/s last %d s, less than the %d s the %d faults need with room to recover;"
                                + " send more calls, lower the rate, or leave --rate out", calls, ratePerSecond,
                        durationMs / 1_000, schedule.lengthMs() / 1_000, faults));
            }
        }
        WorkloadPlan workload = WorkloadPlanner.plan(WorkloadSpec.campaign(seed, calls, durationMs, loopLimit,
                callsPerMinuteLimit));
        return new CampaignPlan(schedule, workload, Math.max(1, calls * 1_000L / durationMs));
    }

    /** A few lines on what will be sent. */
    public String summary() {
        WorkloadPlan w = workload;
        return String.format(Locale.ROOT, "workload: %,d calls (%,d tasks, %d long, %d runaway), %,d re-sends,"
                + " %,d outcomes, %d bad records; %,d events/s over %d s; capped tenant %s at %s USD a day",
                w.calls().size(), w.calls().stream().map(c -> c.taskId()).distinct().count(), w.spec().longTasks(),
                w.runaways().size(), w.resends(), w.outcomes().size(), w.poison().size(), ratePerSecond,
                w.spec().durationMs() / 1_000, w.cappedTenant(), CampaignPrices.usd(w.capLimitNanos()));
    }
}
