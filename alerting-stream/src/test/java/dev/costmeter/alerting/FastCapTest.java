package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.USD;
import static dev.costmeter.alerting.AlertingDriver.call;
import static dev.costmeter.alerting.AlertingDriver.policy;
import static dev.costmeter.alerting.AlertingDriver.price;
import static dev.costmeter.alerting.AlertingDriver.rollup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.BudgetAction;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.contracts.UsageEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The spend caps' fast path: every cap acts on alerting's own pricing of each usage event, with no
 * ledger row or rollup in the test, fires 50%, 70% and the action in order and once, and is not
 * fired again when rollups (the ledger's truth) arrive later.
 */
class FastCapTest {

    private static final Instant DAY = Instant.parse("2026-11-27T00:00:00Z");

    @TempDir
    Path stateDir;
    AlertingDriver d;

    @BeforeEach
    void start() throws Exception {
        d = new AlertingDriver(stateDir);
        // $1 per million input tokens, so a call of 1M input tokens costs exactly $1.
        d.apply(price("gpt-4o", T0.minus(Duration.ofDays(30)), 1).build());
    }

    @AfterEach
    void stop() {
        d.close();
    }

    /** A $1 call (1M input tokens) of task {@code task}, shaped by {@code shape}. */
    private void dollarCall(String eventId, String task, int second, UnaryOperator<UsageEvent.Builder> shape) {
        d.send(shape.apply(call(eventId, task, T0.plusSeconds(second)).setInputTokens(1_000_000).setOutputTokens(0)).build());
        d.flushSpend();
    }

    private List<Integer> firedSteps(String scope) {
        return d.alerts().stream().filter(a -> a.getRule().equals("budget_cap") && a.getScope().equals(scope)
                && a.getStatus() == AlertStatus.FIRING).map(Alert::getThresholdPct).toList();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "tenant:acme, tenant",
            "route:chat, route",
            "prompt:chat@summarize@v8, prompt",
            "end_user:acme/u1, end_user"})
    void shouldFireFiftySeventyAndTheBlockInOrderEachOnceFromPricedUsageAlone(String scope, String kind) {
        d.apply(policy(scope, BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).build());
        UnaryOperator<UsageEvent.Builder> shape = b -> b.setPromptVersion("summarize@v8").setEndUserId("u1");

        for (int i = 1; i <= 4; i++) {
            dollarCall("e" + i, "task-" + (i % 2), i, shape);
        }
        assertThat(firedSteps(scope)).isEmpty();
        dollarCall("e5", "task-1", 5, shape);
        assertThat(firedSteps(scope)).containsExactly(50);
        dollarCall("e6", "task-0", 6, shape);
        dollarCall("e7", "task-1", 7, shape);
        assertThat(firedSteps(scope)).containsExactly(50, 70);
        assertThat(d.commands()).isEmpty();
        for (int i = 8; i <= 12; i++) {
            dollarCall("e" + i, "task-" + (i % 2), i, shape);
        }

        assertThat(firedSteps(scope)).containsExactly(50, 70, 100);
        assertThat(d.commands()).extracting(ControlCommand::getScope, ControlCommand::getAction)
                .containsExactly(tuple(scope, SwitchAction.BLOCK));
        Alert block = d.alerts().stream().filter(a -> Integer.valueOf(100).equals(a.getThresholdPct())).findFirst().orElseThrow();
        assertThat(block.getObservedValue()).isEqualTo(10 * USD);
        assertThat(block.getEvidence()).containsEntry("overshoot_nanos", "0");
        assertThat(block.getTopContributors()).extracting(c -> c.getId()).containsExactlyInAnyOrder("task-0", "task-1");
    }

    @Test
    void shouldNotFireAStepAgainWhenRollupsReportTheSameSpendLater() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).build());
        for (int i = 1; i <= 10; i++) {
            dollarCall("e" + i, "t", i, UnaryOperator.identity());
        }
        assertThat(firedSteps("tenant:acme")).containsExactly(50, 70, 100);

        // metering's rollups catch up, seconds later, with the same spend (and then a little more).
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.DAY, DAY, 10 * USD, 10, 0, 0));
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.DAY, DAY, 11 * USD, 11, 0, 0));

        assertThat(firedSteps("tenant:acme")).containsExactly(50, 70, 100);
        assertThat(d.commands()).hasSize(1);
    }

    @Test
    void shouldLetRollupsFireAStepTheFastPathDidNotSee() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).build());
        for (int i = 1; i <= 4; i++) {
            dollarCall("e" + i, "t", i, UnaryOperator.identity());
        }
        // Spend alerting never priced (say, calls from before a restart that lost nothing but predates it).
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.DAY, DAY, 6 * USD, 6, 0, 0));

        assertThat(firedSteps("tenant:acme")).containsExactly(50);
    }

    @Test
    void shouldPriceEachCallWithThePriceInForceAtItsEventTime() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).setWarnThresholdsPct(List.of()).build());
        // The price doubles ten seconds in: the four calls before cost $1, the ones after $2.
        d.apply(price("gpt-4o", T0.minus(Duration.ofDays(30)), 1)
                .setSuperseded(List.of()).build());
        d.apply(price("gpt-4o", T0.plusSeconds(10), 2)
                .setSuperseded(List.of(dev.costmeter.contracts.PriceVersion.newBuilder()
                        .setEffectiveFrom(T0.minus(Duration.ofDays(30))).setInputNanosPerMtok(USD)
                        .setOutputNanosPerMtok(0).setPriceVersion("old").build())).build());
        for (int i = 1; i <= 4; i++) {
            dollarCall("early" + i, "t", i, UnaryOperator.identity());
        }
        dollarCall("late1", "t", 20, UnaryOperator.identity());
        dollarCall("late2", "t", 21, UnaryOperator.identity());
        assertThat(d.commands()).isEmpty();
        dollarCall("late3", "t", 22, UnaryOperator.identity());

        assertThat(d.commands()).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK);
        assertThat(firedSteps("tenant:acme")).containsExactly(100);
    }

    @Test
    void shouldCountARe_sentEventOnce() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).setWarnThresholdsPct(List.of()).build());
        for (int i = 1; i <= 9; i++) {
            dollarCall("e" + i, "t", i, UnaryOperator.identity());
            dollarCall("e" + i, "t", i, UnaryOperator.identity());
        }
        assertThat(d.commands()).isEmpty();
        assertThat(d.counter("costmeter.alerting.usage.duplicates")).isEqualTo(9.0);
        dollarCall("e10", "t", 10, UnaryOperator.identity());

        assertThat(d.commands()).hasSize(1);
    }

    @Test
    void shouldRecordHowFarPastTheLimitSpendWasWhenTheBlockFired() {
        d.apply(policy("tenant:acme", BudgetPeriod.DAY, 10 * USD, BudgetAction.BLOCK).setWarnThresholdsPct(List.of()).build());
        // Three $3 calls, then a fourth in the same flush: $12 when the step fires.
        dollarCall("a", "t", 1, b -> b.setInputTokens(3_000_000));
        dollarCall("b", "t", 2, b -> b.setInputTokens(3_000_000));
        dollarCall("c", "t", 3, b -> b.setInputTokens(3_000_000));
        d.send(call("d", "t", T0.plusSeconds(4)).setInputTokens(3_000_000).setOutputTokens(0).build());
        d.flushSpend();

        Alert block = d.alerts().get(0);
        assertThat(block.getEvidence()).containsEntry("overshoot_nanos", Long.toString(2 * USD))
                .containsEntry("overshoot_usd", "$2");
        assertThat(d.meters.find("costmeter.alerting.cap.overshoot.nanos").summary().totalAmount())
                .isEqualTo(2.0 * USD);
    }

    @Test
    void shouldSendNothingForScopesWithoutAPolicy() {
        dollarCall("e1", "t", 1, UnaryOperator.identity());
        d.advance(Duration.ofSeconds(1));

        assertThat(d.alerts()).isEmpty();
        assertThat(d.commands()).isEmpty();
    }
}
