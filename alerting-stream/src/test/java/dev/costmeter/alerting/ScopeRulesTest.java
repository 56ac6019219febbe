package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.priced;
import static dev.costmeter.alerting.AlertingDriver.rollup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.Granularity;
import dev.costmeter.contracts.RollupDimension;
import dev.costmeter.contracts.SwitchAction;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rules on scopes other than the task; thresholds from {@link AlertingDriver#rules}: M = 10 calls, k = 3. */
class ScopeRulesTest {

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

    @Test
    void shouldBlockOnlyTheFailingPromptVersionNotItsRouteOrTenant() {
        for (int i = 0; i < 12; i++) {
            d.send(priced("v7-" + i, "t" + i, T0.plusSeconds(i), 1_000).setPromptVersion("v7")
                    .setStatus(i % 4 == 0 ? CallStatus.OK : CallStatus.ERROR).build());
            d.send(priced("v6-" + i, "u" + i, T0.plusSeconds(i), 1_000).setPromptVersion("v6").build());
        }
        assertThat(d.commands()).extracting(ControlCommand::getScope, ControlCommand::getAction)
                .containsExactly(tuple("prompt:chat@v7", SwitchAction.BLOCK));
        assertThat(d.alerts()).extracting(Alert::getRule).containsExactly("prompt_failures");
    }

    @Test
    void shouldAlertOnARetryStormOnARouteWithoutASwitchAndResolveWhenItClears() {
        d.send(rollup(RollupDimension.ROUTE, "chat", Granularity.MINUTE, T0, 1_000, 20, 10, 0));
        assertThat(d.alerts()).extracting(Alert::getRule, Alert::getScope, Alert::getObservedValue)
                .containsExactly(tuple("retry_storm", "route:chat", 5_000L));
        d.send(rollup(RollupDimension.ROUTE, "chat", Granularity.MINUTE, T0.plusSeconds(60), 1_000, 100, 0, 0));
        assertThat(d.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(d.commands()).isEmpty();
    }

    @Test
    void shouldNotJudgeARetryShareBelowTheMinimumCalls() {
        d.send(rollup(RollupDimension.ROUTE, "chat", Granularity.MINUTE, T0, 1_000, 9, 9, 0));
        assertThat(d.alerts()).isEmpty();
    }

    @Test
    void shouldAlertWhenFiveMinuteSpendExceedsKTimesTheTrailingAverage() {
        for (int m = 65; m > 0; m--) { // 100 nanos a minute: a trailing average of 500 per 5 minutes
            d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0.minusSeconds(60L * m), 100, 1, 0, 0));
        }
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0, 1_000, 1, 0, 0)); // 400 + 1000 < 3 x 500
        assertThat(d.alerts()).isEmpty();
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0, 1_200, 1, 0, 0)); // 400 + 1200 > 1500
        assertThat(d.alerts()).extracting(Alert::getRule, Alert::getScope).containsExactly(tuple("spike", "tenant:acme"));
    }

    @Test
    void shouldNotPageASpikeAgainWhenItsLateEventsArriveAfterTheClockResolvedIt() {
        for (int m = 65; m > 0; m--) {
            d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0.minusSeconds(60L * m), 100, 1, 0, 0));
        }
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0, 1_200, 1, 0, 0));
        // Alerting behind its input (fault campaign, seed 30): the wall clock passes the spike's
        // resolve-by, the punctuation resolves it, then more of the same minute arrives.
        d.advance(Duration.ofMinutes(6));
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0, 1_300, 2, 0, 0));
        assertThat(d.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(d.alerts()).extracting(Alert::getDedupKey).containsOnly(d.alerts().get(0).getDedupKey());
    }

    @Test
    void shouldPageANewSpikeOfTheSameScopeInALaterWindow() {
        for (int m = 65; m > 0; m--) {
            d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0.minusSeconds(60L * m), 100, 1, 0, 0));
        }
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0, 1_200, 1, 0, 0));
        d.advance(Duration.ofMinutes(6));
        for (int m = 1; m <= 30; m++) { // quiet again, then a second spike half an hour later
            d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0.plusSeconds(60L * m), 100, 1, 0, 0));
        }
        d.send(rollup(RollupDimension.TENANT, "acme", Granularity.MINUTE, T0.plusSeconds(60L * 31), 5_000, 1, 0, 0));
        assertThat(d.alerts()).filteredOn(a -> a.getStatus() == AlertStatus.FIRING).extracting(Alert::getDedupKey)
                .doesNotHaveDuplicates().hasSize(2);
    }

    @Test
    void shouldAlertOnceADayOnAnUnpricedModel() {
        d.send(priced("a", "t1", T0, 0).setModel("new-model").setPriced(false).build());
        d.send(priced("b", "t2", T0.plusSeconds(1), 0).setModel("new-model").setPriced(false).build());
        assertThat(d.alerts()).extracting(Alert::getRule, Alert::getScope)
                .containsExactly(tuple("unpriced_model", "model:openai/new-model"));
        d.advance(Duration.ofHours(14).plusMinutes(1));
        assertThat(d.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    @Test
    void shouldAlertWhenComputedCostDriftsFromTheProviderCost() {
        for (int i = 0; i < 5; i++) {
            d.send(priced("a" + i, "t", T0.plusSeconds(i), 1_000).setProviderCostNanos(1_050L).build());
        }
        assertThat(d.alerts()).isEmpty(); // 476 bps, under 1000
        for (int i = 0; i < 5; i++) {
            d.send(priced("b" + i, "t", T0.plusSeconds(10 + i), 1_000).setProviderCostNanos(2_000L).build());
        }
        assertThat(d.alerts()).extracting(Alert::getRule, Alert::getScope)
                .containsExactly(tuple("price_drift", "model:openai/gpt-4o"));
    }

    @Test
    void shouldAlertWhenAnExpectedRouteFallsSilentAndResolveWhenTrafficReturns() {
        d.send(rollup(RollupDimension.ROUTE, "nightly", Granularity.MINUTE, T0, 1_000, 1, 0, 0));
        d.advance(Duration.ofMinutes(119));
        assertThat(d.alerts()).isEmpty();
        d.advance(Duration.ofMinutes(2));
        assertThat(d.alerts()).extracting(Alert::getRule, Alert::getScope).containsExactly(tuple("silence", "route:nightly"));
        d.advance(Duration.ofMinutes(30));
        assertThat(d.alerts()).hasSize(1);
        CostRollupAt back = new CostRollupAt();
        d.send(back.at(T0.plus(Duration.ofMinutes(151))));
        assertThat(d.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
    }

    private static final class CostRollupAt {
        dev.costmeter.contracts.CostRollup at(java.time.Instant t) {
            dev.costmeter.contracts.CostRollup r = rollup(RollupDimension.ROUTE, "nightly", Granularity.MINUTE, t, 1_000, 1, 0, 0);
            r.setUpdatedAt(t);
            return r;
        }
    }
}
