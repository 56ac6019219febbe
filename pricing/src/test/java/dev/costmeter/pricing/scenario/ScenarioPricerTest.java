package dev.costmeter.pricing.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.ServiceTierRates;
import dev.costmeter.pricing.PriceBook;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every knob of a what-if on hand-built calls, each figure computed by hand below. Rates are nano-USD
 * per million tokens, so a token costs rate / 1,000,000 nano-USD:
 * <pre>
 *   anthropic/sonnet  input 3,000,000,000 (3,000 a token)  output 15,000 a token  cache read 300  cache write 3,750
 *                     batch input 1,500  batch output 7,500; service tier "priority": input 4,000, output 20,000
 *   openai/mini       v1 from 2026-11-01: input 150, output 600, cache read 75, cache write 0, batch 75 / 300
 *                     v2 from 2026-11-15: input 100, output 400, cache read 50, cache write 0, no batch rate
 *   acme/nobatch      from 2026-11-20: input 1,000, output 2,000; no cache rates, no batch rate
 * </pre>
 */
class ScenarioPricerTest {

    private static final Map<String, PriceBook> BOOKS = Map.of(
            "anthropic/sonnet", PriceBook.of(PriceEntry.newBuilder().setProvider("anthropic").setModel("sonnet")
                    .setEffectiveFrom(Instant.parse("2026-01-01T00:00:00Z")).setInputNanosPerMtok(3_000_000_000L)
                    .setOutputNanosPerMtok(15_000_000_000L).setCacheReadNanosPerMtok(300_000_000L)
                    .setCacheWriteNanosPerMtok(3_750_000_000L).setBatchInputNanosPerMtok(1_500_000_000L)
                    .setBatchOutputNanosPerMtok(7_500_000_000L)
                    .setServiceTiers(Map.of("priority", ServiceTierRates.newBuilder().setInputNanosPerMtok(4_000_000_000L)
                            .setOutputNanosPerMtok(20_000_000_000L).build()))
                    .setPriceVersion("sonnet@2026-01-01").build()),
            "openai/mini", PriceBook.of(PriceEntry.newBuilder().setProvider("openai").setModel("mini")
                    .setEffectiveFrom(Instant.parse("2026-11-15T00:00:00Z")).setInputNanosPerMtok(100_000_000L)
                    .setOutputNanosPerMtok(400_000_000L).setCacheReadNanosPerMtok(50_000_000L).setPriceVersion("mini@v2")
                    .setSuperseded(List.of(PriceVersion.newBuilder().setEffectiveFrom(Instant.parse("2026-11-01T00:00:00Z"))
                            .setInputNanosPerMtok(150_000_000L).setOutputNanosPerMtok(600_000_000L)
                            .setCacheReadNanosPerMtok(75_000_000L).setCacheWriteNanosPerMtok(0L)
                            .setBatchInputNanosPerMtok(75_000_000L).setBatchOutputNanosPerMtok(300_000_000L)
                            .setPriceVersion("mini@v1").build()))
                    .build()),
            "acme/nobatch", PriceBook.of(PriceEntry.newBuilder().setProvider("acme").setModel("nobatch")
                    .setEffectiveFrom(Instant.parse("2026-11-20T00:00:00Z")).setInputNanosPerMtok(1_000_000_000L)
                    .setOutputNanosPerMtok(2_000_000_000L).setPriceVersion("nobatch@v1").build()));

    private static ScenarioPricer.Repriced price(Scenario scenario, PricedUsage call) {
        return new ScenarioPricer(scenario, BOOKS::get).price(call);
    }

    @Test
    void shouldRepriceACallWithTheVersionOfTheScenarioModelsPriceInForceAtTheCallsTime() {
        Scenario toMini = Scenario.none().withModel("openai", "mini");
        // 2,000 in, 400 out. Before 2026-11-15 (v1): 2,000 x 150 + 400 x 600 = 300,000 + 240,000.
        ScenarioPricer.Repriced early = price(toMini, sonnetCall("2026-11-10T12:00:00Z", 2_000, 400));
        // From 2026-11-15 (v2): 2,000 x 100 + 400 x 400 = 200,000 + 160,000.
        ScenarioPricer.Repriced late = price(toMini, sonnetCall("2026-11-16T12:00:00Z", 2_000, 400));

        assertThat(early.cost().costNanos()).isEqualTo(540_000L);
        assertThat(early.cost().charged().priceVersion()).isEqualTo("mini@v1");
        assertThat(late.cost().costNanos()).isEqualTo(360_000L);
        assertThat(late.cost().charged().priceVersion()).isEqualTo("mini@v2");
    }

    @Test
    void shouldKeepEveryTokenKindWhenTheModelChangesAndPriceCacheTokensAtTheNewModelsCacheRates() {
        // 1,000 in, 200 out, 4,000 cache reads, 800 cache writes on mini v2:
        // 1,000 x 100 + 200 x 400 + 4,000 x 50 + 800 x 0 = 100,000 + 80,000 + 200,000 + 0.
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 1_000, 200);
        call.setCacheReadTokens(4_000L);
        call.setCacheWriteTokens(800L);

        ScenarioPricer.Repriced repriced = price(Scenario.none().withModel("openai", "mini"), call);

        assertThat(repriced.cost().costNanos()).isEqualTo(380_000L);
        assertThat(repriced.cost().charged().cacheRead()).isEqualTo(200_000L);
    }

    @Test
    void shouldCountACallUnpricedWithItsReasonWhenTheScenarioModelHasNoPriceAtItsTime() {
        // acme/nobatch is priced from 2026-11-20 only.
        ScenarioPricer.Repriced before = price(Scenario.none().withModel("acme", "nobatch"),
                sonnetCall("2026-11-10T12:00:00Z", 2_000, 400));
        ScenarioPricer.Repriced unknown = price(Scenario.none().withModel("acme", "ghost"),
                sonnetCall("2026-11-10T12:00:00Z", 2_000, 400));

        assertThat(before.cost().priced()).isFalse();
        assertThat(before.cost().unpricedReason()).isEqualTo("no price of acme/nobatch in force at the call's time");
        assertThat(unknown.cost().priced()).isFalse();
        assertThat(unknown.cost().unpricedReason()).isEqualTo("no price for acme/ghost");
    }

    @Test
    void shouldCountACallUnpricedWhenTheScenarioModelLacksTheServiceTierTheCallRanIn() {
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 2_000, 400);
        call.setServiceTier("priority");

        ScenarioPricer.Repriced repriced = price(Scenario.none().withModel("openai", "mini"), call);

        assertThat(repriced.cost().priced()).isFalse();
        assertThat(repriced.cost().unpricedReason()).isEqualTo("mini@v2 has no rates for service tier 'priority'");
    }

    @Test
    void shouldSendACallThroughBatchRatesAndOutOfItsServiceTier() {
        // On sonnet in tier priority it cost 2,000 x 4,000 + 400 x 20,000 = 16,000,000.
        // Through batch: 2,000 x 1,500 + 400 x 7,500 = 3,000,000 + 3,000,000.
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 2_000, 400);
        call.setServiceTier("priority");

        ScenarioPricer.Repriced repriced = price(Scenario.none().withBatch(null), call);

        assertThat(repriced.movedToBatch()).isTrue();
        assertThat(repriced.noBatchRate()).isFalse();
        assertThat(repriced.cost().costNanos()).isEqualTo(6_000_000L);
        assertThat(repriced.cost().charged().serviceTier()).isNull();
    }

    @Test
    void shouldLeaveACallAlreadyBatchAsItWas() {
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 2_000, 400);
        call.setBatch(true);

        ScenarioPricer.Repriced repriced = price(Scenario.none().withBatch(null), call);

        assertThat(repriced.movedToBatch()).isFalse();
        assertThat(repriced.cost().costNanos()).isEqualTo(6_000_000L);
    }

    @Test
    void shouldPayStandardRatesForABatchMoveOfAModelWithoutBatchRatesAndSaySo() {
        // acme/nobatch has no batch rate: 2,000 x 1,000 + 400 x 2,000 = 2,000,000 + 800,000, batch or not.
        PricedUsage call = sonnetCall("2026-11-21T12:00:00Z", 2_000, 400);
        call.setProvider("acme");
        call.setModel("nobatch");

        ScenarioPricer.Repriced repriced = price(Scenario.none().withBatch(null), call);

        assertThat(repriced.movedToBatch()).isTrue();
        assertThat(repriced.noBatchRate()).isTrue();
        assertThat(repriced.cost().costNanos()).isEqualTo(2_800_000L);
    }

    @Test
    void shouldMoveOnlyCallsCarryingTheNonInteractiveLabel() {
        Scenario batchNightly = Scenario.none().withBatch(Scenario.Label.parse("interactive=false"));
        PricedUsage labelled = sonnetCall("2026-11-16T12:00:00Z", 2_000, 400);
        labelled.setLabels(Map.of("interactive", "false"));
        PricedUsage interactive = sonnetCall("2026-11-16T12:00:00Z", 2_000, 400);
        interactive.setLabels(Map.of("interactive", "true"));

        assertThat(price(batchNightly, labelled).movedToBatch()).isTrue();
        assertThat(price(batchNightly, labelled).cost().costNanos()).isEqualTo(6_000_000L);
        // Standard: 2,000 x 3,000 + 400 x 15,000 = 6,000,000 + 6,000,000.
        assertThat(price(batchNightly, interactive).movedToBatch()).isFalse();
        assertThat(price(batchNightly, interactive).cost().costNanos()).isEqualTo(12_000_000L);
    }

    @Test
    void shouldReadTheHitShareOfThePromptFromTheCacheAndWriteTheMissesWhenThePriceHasAWritePremium() {
        // sonnet writes at 3,750 > input 3,000. Prompt 9,000 in + 1,000 cache reads = 10,000; at 0.8:
        // 8,000 reads x 300 = 2,400,000; 2,000 writes x 3,750 = 7,500,000; 500 out x 15,000 = 7,500,000.
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 9_000, 500);
        call.setCacheReadTokens(1_000L);

        ScenarioPricer.Repriced repriced = price(Scenario.none().withCacheHitRate(new BigDecimal("0.8")), call);

        assertThat(repriced.cost().charged().input()).isZero();
        assertThat(repriced.cost().charged().cacheRead()).isEqualTo(2_400_000L);
        assertThat(repriced.cost().charged().cacheWrite()).isEqualTo(7_500_000L);
        assertThat(repriced.cost().costNanos()).isEqualTo(17_400_000L);
    }

    @Test
    void shouldShowACacheThatIsRarelyReadCostingMoreThanNoCache() {
        // At 0.1 on sonnet: 1,000 reads x 300 = 300,000; 9,000 writes x 3,750 = 33,750,000; output 7,500,000.
        // Without a cache the same call costs 10,000 x 3,000 + 7,500,000 = 37,500,000: the premium loses money.
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 10_000, 500);

        ScenarioPricer.Repriced repriced = price(Scenario.none().withCacheHitRate(new BigDecimal("0.1")), call);

        assertThat(repriced.cost().costNanos()).isEqualTo(41_550_000L);
    }

    @Test
    void shouldBillTheMissesAsInputWhenThePriceHasNoWritePremiumRoundingTheReadsHalfUp() {
        // mini v2 writes at 0, not above input: misses are input. Prompt 1,001 at 0.5: 500.5 reads, rounded
        // half-up to 501 x 50 = 25,050; 500 input x 100 = 50,000; 100 out x 400 = 40,000.
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 1_001, 100);
        call.setProvider("openai");
        call.setModel("mini");

        ScenarioPricer.Repriced repriced = price(Scenario.none().withCacheHitRate(new BigDecimal("0.5")), call);

        assertThat(repriced.cost().charged().cacheRead()).isEqualTo(25_050L);
        assertThat(repriced.cost().charged().input()).isEqualTo(50_000L);
        assertThat(repriced.cost().charged().cacheWrite()).isZero();
        assertThat(repriced.cost().costNanos()).isEqualTo(115_050L);
    }

    @Test
    void shouldCapOutputTokensAndTheReasoningWithinThem() {
        // 2,000 in x 3,000 = 6,000,000; output 3,000 capped to 1,000 x 15,000 = 15,000,000.
        PricedUsage call = sonnetCall("2026-11-16T12:00:00Z", 2_000, 3_000);
        call.setReasoningTokens(2_500L);
        PricedUsage shortCall = sonnetCall("2026-11-16T12:00:00Z", 2_000, 300);

        ScenarioPricer.Repriced capped = price(Scenario.none().withMaxOutputTokens(1_000L), call);
        ScenarioCall.Rewritten rewritten = ScenarioCall.rewrite(call, Scenario.none().withMaxOutputTokens(1_000L), null);

        assertThat(capped.outputTokensCut()).isEqualTo(2_000L);
        assertThat(capped.cost().costNanos()).isEqualTo(21_000_000L);
        assertThat(rewritten.event().getReasoningTokens()).isEqualTo(1_000L);
        // 2,000 x 3,000 + 300 x 15,000: under the cap, unchanged.
        assertThat(price(Scenario.none().withMaxOutputTokens(1_000L), shortCall).outputTokensCut()).isZero();
        assertThat(price(Scenario.none().withMaxOutputTokens(1_000L), shortCall).cost().costNanos()).isEqualTo(10_500_000L);
    }

    @Test
    void shouldCombineModelBatchCacheAndCap() {
        // To mini v1 (2026-11-10), batch, cache 0.5, cap 200. Prompt 4,000: 2,000 reads x 75 = 150,000;
        // misses are input (write 0 is no premium), batch input 2,000 x 75 = 150,000; output 200 at batch 300 = 60,000.
        Scenario all = Scenario.none().withModel("openai", "mini").withBatch(null)
                .withCacheHitRate(new BigDecimal("0.5")).withMaxOutputTokens(200L);

        ScenarioPricer.Repriced repriced = price(all, sonnetCall("2026-11-10T12:00:00Z", 4_000, 1_000));

        assertThat(repriced.cost().costNanos()).isEqualTo(360_000L);
        assertThat(repriced.movedToBatch()).isTrue();
        assertThat(repriced.outputTokensCut()).isEqualTo(800L);
    }

    @Test
    void shouldRefuseKnobsOutOfRange() {
        assertThatThrownBy(() -> Scenario.none().withCacheHitRate(new BigDecimal("1.01")))
                .hasMessage("a cache hit rate is a share from 0 to 1, not 1.01");
        assertThatThrownBy(() -> Scenario.none().withCacheHitRate(new BigDecimal("-0.1")))
                .hasMessage("a cache hit rate is a share from 0 to 1, not -0.1");
        assertThatThrownBy(() -> Scenario.none().withMaxOutputTokens(0L))
                .hasMessage("a cap on output tokens is at least 1 token, not 0");
        assertThatThrownBy(() -> new Scenario(null, null, false, Scenario.Label.parse("a=b"), null, null))
                .hasMessage("a label for non-interactive calls only applies to the batch lane");
        assertThatThrownBy(() -> Scenario.Label.parse("interactive"))
                .hasMessage("\"interactive\" is not a label such as interactive=false");
        assertThatThrownBy(() -> Scenario.none().withModel("openai", " "))
                .hasMessage("a scenario model is PROVIDER/MODEL with neither part blank, not openai/ ");
    }

    /** A sonnet call as the ledger holds it; its ledgered cost does not matter to repricing. */
    private static PricedUsage sonnetCall(String at, long input, long output) {
        Instant time = Instant.parse(at);
        return PricedUsage.newBuilder().setEventId("e-" + at).setEventTime(time).setTenantId("acme").setTaskId("t1")
                .setTaskClass("support-answer").setRoute("/chat").setProvider("anthropic").setModel("sonnet")
                .setInputTokens(input).setOutputTokens(output).setCostNanos(0L).setInputCostNanos(0L)
                .setOutputCostNanos(0L).setCacheReadCostNanos(0L).setCacheWriteCostNanos(0L).setPriced(true)
                .setPriceVersion("sonnet@2026-01-01").setPricedAt(time).build();
    }
}
