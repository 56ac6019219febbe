package dev.costmeter.cli.whatif;

import static dev.costmeter.cli.whatif.LedgerFixture.FROM;
import static dev.costmeter.cli.whatif.LedgerFixture.TO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.whatif.WhatIfResult.RateSource;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.scenario.Scenario;
import dev.costmeter.pricing.scenario.ScenarioPricer;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The what-if arithmetic on a hand-built period ({@link LedgerFixture}). Every figure is worked out in
 * the comments from the rates: sonnet 3,000 nano-USD a token in and 15,000 out, haiku 1,000 and 5,000.
 *
 * <p>acme's support-answer: tasks a1..a10 on sonnet, two calls each of 2,000 in and 400 out:
 * 2,000 x 3,000 + 400 x 15,000 = 12,000,000 a call, 20 calls, 240,000,000 in all; a1..a9 succeeded,
 * a10 failed: 9 successes, 240,000,000 / 9 = 26,666,666.67, so 26,666,667 per successful task.
 *
 * <p>globex's support-answer on haiku: tasks g1..g7, one call each; g1 and g2 succeeded, g3..g7 failed:
 * haiku's observed success rate on support-answer is 2 of 7.
 */
class WhatIfTest {

    private final LedgerFixture ledger = new LedgerFixture();
    private final Selection acmeSupport = new Selection(FROM, TO, "acme", null, "support-answer");

    @BeforeEach
    void fillLedger() {
        for (int t = 1; t <= 10; t++) {
            for (int c = 0; c < 2; c++) {
                ledger.call("acme", "support-answer", "/chat", "a" + t, "sonnet", 2_000, 400, 12_000_000L);
            }
            ledger.outcome("a" + t, t <= 9 ? Outcome.SUCCESS : Outcome.FAILURE);
        }
        for (int t = 1; t <= 7; t++) {
            ledger.call("globex", "support-answer", "/chat", "g" + t, "haiku", 2_000, 400, 4_000_000L);
            ledger.outcome("g" + t, t <= 2 ? Outcome.SUCCESS : t <= 5 ? Outcome.FAILURE : Outcome.ABANDONED);
        }
    }

    private WhatIfResult compare(Selection selection, Scenario scenario, BigDecimal successRate) {
        return WhatIf.compare(ledger.selected(selection), ledger.outcomes, ledger.observations(), scenario, successRate,
                new ScenarioPricer(scenario, LedgerFixture.BOOKS::get));
    }

    @Test
    void shouldShowACheaperModelWithALowerSuccessRateCostingLessInTotalButMorePerSuccessfulTask() {
        WhatIfResult result = compare(acmeSupport, Scenario.none().withModel("anthropic", "haiku"), null);

        // On haiku: 2,000 x 1,000 + 400 x 5,000 = 4,000,000 a call, 20 calls: 80,000,000.
        assertThat(result.base().costNanos()).isEqualTo(240_000_000L);
        assertThat(result.scenario().costNanos()).isEqualTo(80_000_000L);
        assertThat(result.costDifferenceNanos()).isEqualTo(-160_000_000L);
        // Successes: 9 counted; 2/7 x 10 tasks with an outcome = 20/7 expected.
        assertThat(result.base().successfulTasks()).isEqualTo(Ratio.of(9, 1));
        assertThat(result.scenario().successfulTasks()).isEqualTo(Ratio.of(20, 7));
        // Per successful task: 240,000,000 / 9 = 26,666,667 (half-up); 80,000,000 x 7 / 20 = 28,000,000.
        assertThat(result.base().costPerSuccessfulTaskNanos()).isEqualTo(26_666_667L);
        assertThat(result.scenario().costPerSuccessfulTaskNanos()).isEqualTo(28_000_000L);
        assertThat(result.costPerSuccessfulTaskDifferenceNanos()).isEqualTo(1_333_333L);
        assertThat(result.cheaperButDearerPerSuccess()).isTrue();
        assertThat(result.successBases()).singleElement().satisfies(basis -> {
            assertThat(basis.source()).isEqualTo(RateSource.OBSERVED);
            assertThat(basis.observedSuccesses()).isEqualTo(2);
            assertThat(basis.observedTasks()).isEqualTo(7);
            assertThat(basis.tasksWithOutcome()).isEqualTo(10);
        });
    }

    @Test
    void shouldSayWithBothFiguresThatTheScenarioIsCheaperInTotalButDearerPerSuccessfulTask() {
        WhatIfResult result = compare(acmeSupport, Scenario.none().withModel("anthropic", "haiku"), null);

        // -160,000,000 / 240,000,000 = -66.666..% -> -66.67%; 1,333,333 / 26,666,667 = 4.9999998..% -> +5.00%.
        assertThat(WhatIfView.verdict(result)).isEqualTo("The scenario is cheaper in total ($0.240000 -> $0.080000,"
                + " -$0.160000, -66.67%) but DEARER per successful task ($0.026667 -> $0.028000, +$0.001333, +5.00%):"
                + " fewer tasks succeed.");
        // 20/7 = 2.857.. -> 2.86; 2.86 - 9.00 = -6.14.
        assertThat(WhatIfView.table(acmeSupport, Scenario.none().withModel("anthropic", "haiku"), result, List.of())).contains(
                  "                               BASE   SCENARIO  DIFFERENCE        %\n"
                + "------------------------  ---------  ---------  ----------  -------\n"
                + "calls                            20         20           -        -\n"
                + "cost                      $0.240000  $0.080000  -$0.160000  -66.67%\n"
                + "successful tasks                  9       2.86       -6.14        -\n"
                + "cost per successful task  $0.026667  $0.028000  +$0.001333   +5.00%\n");
    }

    @Test
    void shouldUseTheSuccessRateTheUserGivesInsteadOfTheObservedOne() {
        WhatIfResult result = compare(acmeSupport, Scenario.none().withModel("anthropic", "haiku"), new BigDecimal("0.25"));

        // 0.25 x 10 = 2.5 successes; 80,000,000 / 2.5 = 32,000,000.
        assertThat(result.scenario().successfulTasks()).isEqualTo(Ratio.of(5, 2));
        assertThat(result.scenario().costPerSuccessfulTaskNanos()).isEqualTo(32_000_000L);
        assertThat(result.successBases()).singleElement().extracting(WhatIfResult.SuccessBasis::source)
                .isEqualTo(RateSource.GIVEN);
    }

    @Test
    void shouldSayWhenADearerModelThatSucceedsMoreOftenIsCheaperPerSuccessfulTask() {
        // globex on haiku: 7 x 4,000,000 = 28,000,000 over 2 successes = 14,000,000 each.
        // On sonnet, all succeeding: 7 x 12,000,000 = 84,000,000 over 7 = 12,000,000 each.
        WhatIfResult result = compare(new Selection(FROM, TO, "globex", null, "support-answer"),
                Scenario.none().withModel("anthropic", "sonnet"), BigDecimal.ONE);

        // +56,000,000 / 28,000,000 = +200.00%; -2,000,000 / 14,000,000 = -14.2857..% -> -14.29%.
        assertThat(result.dearerButCheaperPerSuccess()).isTrue();
        assertThat(WhatIfView.verdict(result)).isEqualTo("The scenario is dearer in total ($0.028000 -> $0.084000,"
                + " +$0.056000, +200.00%) but CHEAPER per successful task ($0.014000 -> $0.012000, -$0.002000, -14.29%):"
                + " more tasks succeed.");
    }

    @Test
    void shouldRequireASuccessRateWhenNoneIsObservedForTheModelOnTheTaskClass() {
        assertThatThrownBy(() -> compare(acmeSupport, Scenario.none().withModel("anthropic", "opus"), null))
                .isInstanceOf(CostctlException.class)
                .hasMessage("no success rate observed for anthropic/opus on task_class support-answer in the period (no task"
                        + " of that class that called it has an outcome); pass --success-rate R (a share from 0 to 1) to"
                        + " state the one to assume");
    }

    @Test
    void shouldTakeEachTaskClassesOwnObservedRateWhenARouteSpansSeveral() {
        // acme's /chat also runs triage: t1..t4 on sonnet, one call each, all succeeded (4 x 12,000,000).
        // haiku on triage: h1 succeeded, h2 failed (globex, /mail): 1 of 2.
        for (int t = 1; t <= 4; t++) {
            ledger.call("acme", "triage", "/chat", "t" + t, "sonnet", 2_000, 400, 12_000_000L);
            ledger.outcome("t" + t, Outcome.SUCCESS);
        }
        ledger.call("globex", "triage", "/mail", "h1", "haiku", 2_000, 400, 4_000_000L);
        ledger.call("globex", "triage", "/mail", "h2", "haiku", 2_000, 400, 4_000_000L);
        ledger.outcome("h1", Outcome.SUCCESS);
        ledger.outcome("h2", Outcome.FAILURE);

        WhatIfResult result = compare(new Selection(FROM, TO, "acme", "/chat", null),
                Scenario.none().withModel("anthropic", "haiku"), null);

        // Base: 24 calls, 288,000,000; 13 successes: 22,153,846.15 -> 22,153,846.
        // Scenario: 24 x 4,000,000 = 96,000,000; successes 2/7 x 10 + 1/2 x 4 = 20/7 + 2 = 34/7;
        // 96,000,000 x 7 / 34 = 19,764,705.88 -> 19,764,706.
        assertThat(result.base().costNanos()).isEqualTo(288_000_000L);
        assertThat(result.base().costPerSuccessfulTaskNanos()).isEqualTo(22_153_846L);
        assertThat(result.scenario().costNanos()).isEqualTo(96_000_000L);
        assertThat(result.scenario().successfulTasks()).isEqualTo(Ratio.of(34, 7));
        assertThat(result.scenario().costPerSuccessfulTaskNanos()).isEqualTo(19_764_706L);
        assertThat(result.successBases()).extracting(WhatIfResult.SuccessBasis::taskClass)
                .containsExactly("support-answer", "triage");
        assertThat(result.cheaperButDearerPerSuccess()).isFalse();
    }

    @Test
    void shouldLeaveSuccessUnchangedWhenTheModelStaysAndCountOpenTasksInCostOnly() {
        // a11: one more sonnet call of 2,000 in and 400 out, no outcome yet.
        ledger.call("acme", "support-answer", "/chat", "a11", "sonnet", 2_000, 400, 12_000_000L);

        WhatIfResult result = compare(acmeSupport, Scenario.none().withBatch(null), null);

        // Batch has no rate on these prices: the standard rates, 21 x 12,000,000 = 252,000,000 on both sides.
        assertThat(result.base().costNanos()).isEqualTo(252_000_000L);
        assertThat(result.scenario().costNanos()).isEqualTo(252_000_000L);
        assertThat(result.movedToBatch()).isEqualTo(21);
        assertThat(result.batchWithoutRate()).isEqualTo(21);
        assertThat(result.base().tasks()).isEqualTo(11);
        assertThat(result.base().tasksWithOutcome()).isEqualTo(10);
        // 9 successes either way: 252,000,000 / 9 = 28,000,000.
        assertThat(result.scenario().successfulTasks()).isEqualTo(Ratio.of(9, 1));
        assertThat(result.scenario().costPerSuccessfulTaskNanos()).isEqualTo(28_000_000L);
        assertThat(result.successBases()).singleElement().extracting(WhatIfResult.SuccessBasis::source)
                .isEqualTo(RateSource.UNCHANGED);
        assertThat(WhatIfView.verdict(result)).isEqualTo("The scenario is the same in total ($0.252000 -> $0.252000,"
                + " $0.000000, 0.00%) and the same per successful task ($0.028000 -> $0.028000, $0.000000, 0.00%).");
    }

    @Test
    void shouldLeaveCallsUnpricedOnEitherSideOutOfBothTotalsAndCountThem() {
        // a12: unpriced in the ledger. a13: in service tier "flex", which haiku's price does not sell (12,000,000 ledgered).
        PricedUsage unpriced = ledger.call("acme", "support-answer", "/chat", "a12", "sonnet", 2_000, 400, 0L);
        ledger.all.set(ledger.all.size() - 1, new PeriodCall(unpriced, 0L, false));
        ledger.call("acme", "support-answer", "/chat", "a13", "sonnet", 2_000, 400, 12_000_000L).setServiceTier("flex");

        WhatIfResult result = compare(acmeSupport, Scenario.none().withModel("anthropic", "haiku"), null);

        assertThat(result.selectedCalls()).isEqualTo(22);
        assertThat(result.unpricedInBase()).isEqualTo(1);
        assertThat(result.unpricedInScenario()).containsExactly(
                java.util.Map.entry("haiku@v1 has no rates for service tier 'flex'", 1L));
        assertThat(result.unpricedInScenarioBaseNanos()).isEqualTo(12_000_000L);
        assertThat(result.comparedCalls()).isEqualTo(20);
        assertThat(result.base().costNanos()).isEqualTo(240_000_000L);
        assertThat(result.scenario().costNanos()).isEqualTo(80_000_000L);
        // a12 and a13 are left out, and so are their tasks: a1..a10 remain.
        assertThat(result.base().tasks()).isEqualTo(10);
        assertThat(WhatIfView.assumptions(acmeSupport, Scenario.none().withModel("anthropic", "haiku"), result, List.of())).contains(
                "20 ledgered call(s) of 10 task(s) with event times in the period, each at its cost in the ledger net of"
                        + " applied corrections (base); 22 selected, 2 left out (below)",
                "left out of both totals: 1 call(s) unpriced in the ledger",
                "left out of both totals: 1 call(s) the scenario cannot price: haiku@v1 has no rates for service tier 'flex'",
                "those 1 call(s) cost $0.012000 in the ledger");
    }

    @Test
    void shouldCapOutputAndPriceTheCacheHitRateOverTheSelection() {
        // Cap 100 on sonnet: 2,000 x 3,000 + 100 x 15,000 = 7,500,000 a call, 20 calls = 150,000,000; 300 tokens cut a call.
        WhatIfResult capped = compare(acmeSupport, Scenario.none().withMaxOutputTokens(100L), null);
        // Cache 0.5 on sonnet, which has no write premium here (write rate 0): 1,000 reads x 0 + 1,000 input x 3,000
        // + 400 x 15,000 = 9,000,000 a call, 180,000,000.
        WhatIfResult cached = compare(acmeSupport, Scenario.none().withCacheHitRate(new BigDecimal("0.5")), null);

        assertThat(capped.scenario().costNanos()).isEqualTo(150_000_000L);
        assertThat(capped.cappedCalls()).isEqualTo(20);
        assertThat(capped.outputTokensCut()).isEqualTo(6_000L);
        assertThat(cached.scenario().costNanos()).isEqualTo(180_000_000L);
    }

    @Test
    void shouldSayWhenNoTaskHasAnOutcomeAndWhenATopicMayMissRecordsOfThePeriod() {
        ledger.outcomes.clear();

        WhatIfResult result = compare(acmeSupport, Scenario.none().withBatch(null), null);
        List<String> lines = WhatIfView.assumptions(acmeSupport, Scenario.none().withBatch(null), result,
                List.of("llm.task-outcomes.v1"));

        assertThat(lines).contains("no task of the selection has an outcome (not reported yet, or expired from the"
                + " outcomes topic): cost per successful task cannot be compared");
        assertThat(lines.get(0)).isEqualTo("INCOMPLETE: topic llm.task-outcomes.v1 no longer holds its oldest records"
                + " (retention deleted them) and may miss some of the period's: the figures may be incomplete");
        assertThat(WhatIfView.verdict(result)).endsWith("; cost per successful task cannot be compared: no task succeeded"
                + " in the base.");
    }

    @Test
    void shouldNetAppliedCorrectionsIntoTheBaseCostOnceEach() {
        PricedUsage call = ledger.call("acme", "support-answer", "/chat", "a1", "sonnet", 2_000, 400, 0L);
        call.setPriced(false);
        call.setPriceVersion(null);
        LedgerCorrection priced = correction(call, "e@v1", 12_000_000L, "sonnet@v1", "2026-11-02T00:00:00Z");
        LedgerCorrection lowered = correction(call, "e@v2", -2_000_000L, "sonnet@v2", "2026-11-03T00:00:00Z");

        PeriodCall net = PeriodLedger.net(call, List.of(lowered, priced, priced));

        // 0 + 12,000,000 - 2,000,000, the repeated correction counted once; priced as the last one left it.
        assertThat(net.costNanos()).isEqualTo(10_000_000L);
        assertThat(net.priced()).isTrue();
        assertThat(PeriodLedger.net(call, List.of()).priced()).isFalse();
    }

    private static LedgerCorrection correction(PricedUsage call, String id, long delta, String version, String issuedAt) {
        return LedgerCorrection.newBuilder().setCorrectionId(id).setEventId(call.getEventId())
                .setEventTime(call.getEventTime()).setTenantId(call.getTenantId()).setTaskId(call.getTaskId())
                .setTaskClass(call.getTaskClass()).setRoute(call.getRoute()).setProvider(call.getProvider())
                .setModel(call.getModel()).setOldCostNanos(0L).setNewCostNanos(0L).setCostDeltaNanos(delta)
                .setInputCostDeltaNanos(delta).setOutputCostDeltaNanos(0L).setCacheReadCostDeltaNanos(0L)
                .setCacheWriteCostDeltaNanos(0L).setWasPriced(false).setNewPriceVersion(version).setReason("test")
                .setIssuedAt(Instant.parse(issuedAt)).build();
    }
}
