package dev.costmeter.faults.workload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadPlannerTest {

    private static final WorkloadSpec SPEC = WorkloadSpec.campaign(7, 20_000, 300_000, 8, 120);

    @Test
    void shouldPlanTheSameWorkloadForTheSameSeed() {
        WorkloadPlan first = WorkloadPlanner.plan(SPEC);
        WorkloadPlan second = WorkloadPlanner.plan(SPEC);
        assertThat(second.steps()).isEqualTo(first.steps());
        assertThat(second.capLimitNanos()).isEqualTo(first.capLimitNanos());
    }

    @Test
    void shouldPlanAnotherWorkloadForAnotherSeed() {
        WorkloadPlan other = WorkloadPlanner.plan(WorkloadSpec.campaign(8, 20_000, 300_000, 8, 120));
        assertThat(other.calls().get(0)).isNotEqualTo(WorkloadPlanner.plan(SPEC).calls().get(0));
    }

    @Test
    void shouldContainEveryDesignedIngredient() {
        WorkloadPlan plan = WorkloadPlanner.plan(SPEC);
        List<PlannedCall> calls = plan.calls();
        assertThat(calls).hasSizeGreaterThanOrEqualTo(SPEC.calls());
        assertThat(calls.stream().map(PlannedCall::eventId).distinct().count()).isEqualTo(calls.size());
        assertThat(calls).anyMatch(c -> c.attempt() > 1);
        assertThat(calls).anyMatch(c -> c.eventOffsetMs() <= c.offsetMs() - 60_000);
        assertThat(calls).anyMatch(PlannedCall::batch);
        assertThat(calls).anyMatch(PlannedCall::responseCacheHit);
        assertThat(calls).anyMatch(c -> c.tokens().cacheRead() > 0);
        assertThat(calls).anyMatch(c -> c.tokens().cacheWrite() > 0);
        assertThat(calls).anyMatch(c -> c.tokens().prompt() == 200_000);
        assertThat(calls).anyMatch(c -> c.tokens().prompt() > 200_000);
        assertThat(calls).anyMatch(c -> c.status() != CallStatus.OK);
        assertThat(calls).anyMatch(c -> c.tenant().equals(Names.CAPPED_TENANT));
        assertThat(plan.outcomes()).isNotEmpty();
        assertThat(plan.resends()).isGreaterThanOrEqualTo(Math.round(0.05 * calls.size()));
        assertThat(plan.poison()).hasSize(20 * PoisonKind.values().length);
        assertThat(plan.capLimitNanos()).isPositive();
    }

    @Test
    void shouldHaveLongTasksBeyondTheIdsKeptWithATaskAndReSendSomeOfTheirLateCalls() {
        WorkloadPlan plan = WorkloadPlanner.plan(SPEC);
        Map<String, Long> callsPerTask = plan.calls().stream().collect(Collectors.groupingBy(PlannedCall::taskId, Collectors.counting()));
        List<String> longTasks = callsPerTask.entrySet().stream().filter(e -> e.getValue() > 100).map(Map.Entry::getKey).toList();
        assertThat(longTasks).hasSizeGreaterThanOrEqualTo(SPEC.longTasks());
        assertThat(plan.steps()).anyMatch(s -> s instanceof Step.Resend r && longTasks.contains(plan.calls().get(r.callIndex()).taskId())
                && plan.calls().get(r.callIndex()).step() > 64);
    }

    @Test
    void shouldRepeatEachRunawaysToolCallTwiceTheLoopLimitLessOne() {
        WorkloadPlan plan = WorkloadPlanner.plan(SPEC);
        assertThat(plan.runaways()).hasSize(3);
        for (DesignedRunaway runaway : plan.runaways()) {
            long repeats = plan.calls().stream().filter(c -> runaway.toolArgsHash().equals(c.toolArgsHash())).count();
            assertThat(repeats).isEqualTo(15);
        }
    }

    @Test
    void shouldKeepAlertingsOtherTaskRulesQuietByConstruction() {
        WorkloadPlan plan = WorkloadPlanner.plan(SPEC);
        List<String> runaways = plan.runaways().stream().map(DesignedRunaway::taskId).toList();
        // No tool call repeated with the same arguments outside the runaways (re-sends add at most a few).
        Map<String, Long> toolRepeats = plan.calls().stream().filter(c -> c.toolName() != null && !runaways.contains(c.taskId()))
                .collect(Collectors.groupingBy(c -> c.taskId() + c.toolName() + c.toolArgsHash(), Collectors.counting()));
        assertThat(toolRepeats.values()).allMatch(n -> n <= 3);
        // No task above two thirds of the call-rate limit in any minute of event time.
        Map<String, TreeMap<Long, Integer>> perMinute = new HashMap<>();
        for (PlannedCall call : plan.calls()) {
            perMinute.computeIfAbsent(call.taskId(), t -> new TreeMap<>()).merge(call.eventOffsetMs(), 1, Integer::sum);
        }
        perMinute.values().forEach(times -> times.keySet().forEach(t ->
                assertThat(times.subMap(t, t + 60_000).values().stream().mapToInt(Integer::intValue).sum()).isLessThanOrEqualTo(100)));
        assertThat(plan.calls()).allMatch(c -> c.reasoningTokens() <= c.tokens().output());
        assertThat(plan.calls()).noneMatch(c -> c.batch() && c.tokens().prompt() > 200_000);
    }

    @Test
    void shouldSpreadTheWorkloadOverItsDuration() {
        for (WorkloadSpec spec : List.of(SPEC, WorkloadSpec.campaign(3, 3_000, 6_000, 8, 120).withCallRateLimit(0))) {
            WorkloadPlan plan = WorkloadPlanner.plan(spec);
            assertThat(plan.lastOffsetMs()).isLessThanOrEqualTo(spec.durationMs() * 3 / 2);
            long firstHalf = plan.calls().stream().filter(c -> c.offsetMs() < spec.durationMs() / 2).count();
            assertThat(firstHalf).isBetween(plan.calls().size() * 35L / 100, plan.calls().size() * 65L / 100);
        }
    }

    @Test
    void shouldLeavePoisonKindsOutWhenAsked() {
        WorkloadPlan plan = WorkloadPlanner.plan(SPEC.withPoison(2, EnumSet.of(PoisonKind.RANDOM_BYTES)));
        assertThat(plan.poison()).hasSize(2).allMatch(p -> p.kind() == PoisonKind.RANDOM_BYTES);
    }
}
