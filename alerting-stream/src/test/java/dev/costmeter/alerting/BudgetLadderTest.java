package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.policy;
import static dev.costmeter.alerting.AlertingDriver.priced;
import static dev.costmeter.alerting.AlertingDriver.rollup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.Severity;
import dev.costmeter.contracts.SwitchAction;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetLadderTest {

    static final Instant DAY = Instant.parse("2026-11-27T00:00:00Z");
    static final long USD = 1_000_000_000L;

    @TempDir
    Path stateDir;
    AlertingDriver d;

    @BeforeEach
    void start() throws Exception {
        d = new AlertingDriver(stateDir);
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private void tenantDay(long costNanos) {
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.DAY, DAY, costNanos, 10, 0, 0));
    }

    @Test
    void shouldFireFiftyThenSeventyThenTheActionEachOnce() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 100 * USD, BudgetAction.BLOCK).build());
        tenantDay(40 * USD);
        assertThat(d.alerts()).isEmpty();
        tenantDay(55 * USD);
        tenantDay(60 * USD);
        tenantDay(75 * USD);
        tenantDay(80 * USD);
        tenantDay(100 * USD);
        tenantDay(130 * USD);
        assertThat(d.alerts()).extracting(Alert::getThresholdPct, Alert::getSeverity, Alert::getStatus).containsExactly(
                tuple(50, Severity.WARNING, AlertStatus.FIRING),
                tuple(70, Severity.WARNING, AlertStatus.FIRING),
                tuple(100, Severity.CRITICAL, AlertStatus.FIRING));
        assertThat(d.alerts().get(2).getDedupKey()).isEqualTo("budget_cap|tenant:acme|DAY-100|" + DAY);
        assertThat(d.alerts().get(2).getObservedValue()).isEqualTo(100 * USD);
        assertThat(d.commands()).singleElement().satisfies(c -> {
            assertThat(c.getScope()).isEqualTo("tenant:acme");
            assertThat(c.getAction()).isEqualTo(SwitchAction.BLOCK);
            assertThat(c.getExpiresAt()).isEqualTo(DAY.plus(Duration.ofDays(1)));
            assertThat(c.getIssuer()).isEqualTo("rule:budget_cap");
        });
    }

    @Test
    void shouldFireEveryStepInOrderWhenOneUpdateJumpsOverThemAll() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 100 * USD, BudgetAction.ALERT).build());
        tenantDay(120 * USD);
        assertThat(d.alerts()).extracting(Alert::getThresholdPct).containsExactly(50, 70, 100);
        assertThat(d.commands()).isEmpty(); // action ALERT flips no switch
    }

    @Test
    void shouldResolveEveryStepAndLiftTheSwitchWhenThePeriodEndsWithoutNewEvents() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 100 * USD, BudgetAction.BLOCK).build());
        tenantDay(120 * USD);
        d.advance(Duration.ofHours(13).plusMinutes(59)); // 23:59
        assertThat(d.alerts()).hasSize(3);
        d.advance(Duration.ofMinutes(2));
        assertThat(d.alerts()).extracting(Alert::getStatus, Alert::getThresholdPct).containsExactly(
                tuple(AlertStatus.FIRING, 50), tuple(AlertStatus.FIRING, 70), tuple(AlertStatus.FIRING, 100),
                tuple(AlertStatus.RESOLVED, 50), tuple(AlertStatus.RESOLVED, 70), tuple(AlertStatus.RESOLVED, 100));
        assertThat(d.commands()).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK, SwitchAction.ALLOW);
        assertThat(d.commands().get(1).getSequence()).isGreaterThan(d.commands().get(0).getSequence());
    }

    @Test
    void shouldDegradeToThePolicysFallbackModel() {
        d.apply(policy("route:premium", BudgetPeriod.HOUR, 10 * USD, BudgetAction.DEGRADE).setDegradeModel("gpt-4o-mini").build());
        d.send(rollup(RollupDimension.ROUTE, "premium", Granularity.HOUR, T0, 11 * USD, 10, 0, 0));
        assertThat(d.commands()).singleElement().satisfies(c -> {
            assertThat(c.getScope()).isEqualTo("route:premium");
            assertThat(c.getAction()).isEqualTo(SwitchAction.DEGRADE);
            assertThat(c.getFallbackModel()).isEqualTo("gpt-4o-mini");
            assertThat(c.getExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        });
    }

    @Test
    void shouldApplyAPolicyChangeWithoutRestartAndResolveWhenTheCapIsRaised() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 100 * USD, BudgetAction.BLOCK).build());
        tenantDay(60 * USD);
        assertThat(d.alerts()).extracting(Alert::getThresholdPct).containsExactly(50);
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 1_000 * USD, BudgetAction.BLOCK).build());
        tenantDay(61 * USD);
        assertThat(d.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    @Test
    void shouldSumDayRollupsIntoTheMonth() {
        d.apply(policy("tenant:acme", BudgetPeriod.MONTH, 100 * USD, BudgetAction.ALERT).setWarnThresholdsPct(java.util.List.of()).build());
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.DAY, DAY.minus(Duration.ofDays(2)), 40 * USD, 1, 0, 0));
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.DAY, DAY.minus(Duration.ofDays(1)), 40 * USD, 1, 0, 0));
        assertThat(d.alerts()).isEmpty();
        tenantDay(20 * USD);
        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getThresholdPct()).isEqualTo(100);
            assertThat(a.getPeriodStart()).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
            assertThat(a.getObservedValue()).isEqualTo(100 * USD);
        });
    }

    @Test
    void shouldSumHourRollupsIntoTheTenantsLocalDay() {
        // Europe/Berlin is UTC+1 in November: the local day of 2026-11-27 is 26T23:00Z to 27T23:00Z
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 100 * USD, BudgetAction.ALERT)
                .setTimeZone("Europe/Berlin").setWarnThresholdsPct(java.util.List.of()).build());
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.HOUR, Instant.parse("2026-11-26T22:00:00Z"), 50 * USD, 1, 0, 0));
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.HOUR, Instant.parse("2026-11-26T23:00:00Z"), 60 * USD, 1, 0, 0));
        assertThat(d.alerts()).isEmpty(); // 22:00Z belongs to the local 26th
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.HOUR, Instant.parse("2026-11-27T09:00:00Z"), 40 * USD, 1, 0, 0));
        assertThat(d.alerts()).singleElement().satisfies(a -> {
            assertThat(a.getObservedValue()).isEqualTo(100 * USD);
            assertThat(a.getPeriodStart()).isEqualTo(Instant.parse("2026-11-26T23:00:00Z"));
            assertThat(a.getPeriodEnd()).isEqualTo(Instant.parse("2026-11-27T23:00:00Z"));
        });
    }

    @Test
    void shouldBlockOnlyTheEndUserWhoCrossedTheirCapWithTheirTopTasksAsEvidence() {
        d.apply(policy("end_user:acme/u1", BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).setWarnThresholdsPct(java.util.List.of()).build());
        d.send(priced("a", "task-a", T0, 3 * USD).setEndUserId("u1").build());
        d.send(priced("b", "task-b", T0.plusSeconds(1), 6 * USD).setEndUserId("u1").build());
        d.send(priced("c", "task-c", T0.plusSeconds(2), 50 * USD).setEndUserId("u2").build());
        assertThat(d.commands()).isEmpty();
        d.send(priced("d", "task-b", T0.plusSeconds(3), 2 * USD).setEndUserId("u1").build());
        assertThat(d.commands()).extracting(ControlCommand::getScope, ControlCommand::getAction)
                .containsExactly(tuple("end_user:acme/u1", SwitchAction.BLOCK));
        assertThat(d.alerts().get(0).getTopContributors()).extracting(c -> c.getId(), c -> c.getCostNanos())
                .containsExactly(tuple("task-b", 8 * USD), tuple("task-a", 3 * USD));
    }

    @Test
    void shouldBlockATaskAtItsSpendCeilingFromItsPricedUsage() {
        d.apply(AlertingDriver.price("gpt-4o", T0.minus(java.time.Duration.ofDays(1)), 3).build());
        d.apply(dev.costmeter.contracts.BudgetPolicy.newBuilder().setScope("task_default:agent").setUpdatedAt(T0)
                .setTaskCeiling(dev.costmeter.contracts.TaskCeiling.newBuilder().setMaxCostNanos(5 * USD).build()).build());
        d.send(AlertingDriver.call("a", "t1", T0).setInputTokens(1_000_000).setOutputTokens(0).build());
        assertThat(d.commands()).isEmpty();
        d.send(AlertingDriver.call("b", "t1", T0.plusSeconds(1)).setInputTokens(1_000_000).setOutputTokens(0).build());
        assertThat(d.commands()).extracting(ControlCommand::getScope, ControlCommand::getIssuer)
                .containsExactly(tuple("task:t1", "rule:task_spend"));
        assertThat(d.alerts().get(0).getSummary()).isEqualTo("Task reached its spend ceiling: $6 of $5");
    }
}
