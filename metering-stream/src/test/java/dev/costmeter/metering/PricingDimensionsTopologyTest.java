package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.ServiceTierRates;
import dev.costmeter.runtime.deadletter.DeadLetters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pricing dimensions beyond token kinds, through the real topology into the ledger row. */
class PricingDimensionsTopologyTest {

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        // $3 in, $15 out, 5-minute writes $3.75, 1-hour writes $6, priority $6 in / $30 out, web search $0.01 each.
        metering.send(price("sonnet", T0.minus(Duration.ofDays(1)), 3_000_000_000L, 15_000_000_000L)
                .setCacheWriteNanosPerMtok(3_750_000_000L).setCacheWrite1hNanosPerMtok(6_000_000_000L)
                .setServiceTiers(Map.of("priority", ServiceTierRates.newBuilder().setInputNanosPerMtok(6_000_000_000L)
                        .setOutputNanosPerMtok(30_000_000_000L).setCacheWriteNanosPerMtok(7_500_000_000L)
                        .setCacheWrite1hNanosPerMtok(12_000_000_000L).build()))
                .setRequestFees(Map.of("web_search", 10_000_000L)).build());
        metering.send(price("old-sonnet", T0.minus(Duration.ofDays(1)), 3_000_000_000L, 15_000_000_000L)
                .setCacheWriteNanosPerMtok(3_750_000_000L).build());
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldLedgerOneHourWritesServiceTierAndRequestFeesWithTheirCosts() {
        metering.send(call("e1", "t1", T0).setModel("sonnet").setInputTokens(1_000).setOutputTokens(200)
                .setCacheWriteTokens(3_000).setCacheWrite1hTokens(1_000).setServiceTier("Priority")
                .setRequestCounts(Map.of("web_search", 2L)).build());

        PricedUsage row = metering.ledgerRows().get(0);
        assertThat(row.getPriced()).isTrue();
        assertThat(row.getServiceTier()).isEqualTo("priority");
        assertThat(row.getInputCostNanos()).isEqualTo(6_000_000L);            // 1,000 x $6/M
        assertThat(row.getOutputCostNanos()).isEqualTo(6_000_000L);           // 200 x $30/M
        assertThat(row.getCacheWrite1hTokens()).isEqualTo(1_000L);
        assertThat(row.getCacheWrite1hCostNanos()).isEqualTo(12_000_000L);    // 1,000 x $12/M
        assertThat(row.getCacheWriteCostNanos()).isEqualTo(27_000_000L);      // + 2,000 x $7.50/M
        assertThat(row.getRequestCounts()).containsExactly(Map.entry("web_search", 2L));
        assertThat(row.getRequestFeesCostNanos()).isEqualTo(20_000_000L);     // 2 x $0.01
        assertThat(row.getCostNanos()).isEqualTo(59_000_000L);
        assertThat(row.getUnpricedReason()).isNull();
    }

    @Test
    void shouldLedgerOneHourWritesUnpricedWithTheReasonWhenThePriceHasNoOneHourRate() {
        metering.send(call("e1", "t1", T0).setModel("old-sonnet").setCacheWriteTokens(3_000).setCacheWrite1hTokens(1_000)
                .build());

        PricedUsage row = metering.ledgerRows().get(0);
        assertThat(row.getPriced()).isFalse();
        assertThat(row.getCostNanos()).isZero();
        assertThat(row.getUnpricedReason()).isEqualTo("openai/old-sonnet@" + T0.minus(Duration.ofDays(1))
                + " has no 1-hour cache-write rate");
        assertThat(metering.counter("costmeter.metering.unpriced", "model", "openai/old-sonnet")).isEqualTo(1.0);
    }

    @Test
    void shouldDeadLetterACallWithMoreOneHourWritesThanWrites() {
        metering.send(call("e1", "t1", T0).setModel("sonnet").setCacheWriteTokens(10).setCacheWrite1hTokens(11).build());

        assertThat(metering.ledgerRows()).isEmpty();
        var dead = metering.dlq.readRecordsToList();
        assertThat(dead).hasSize(1);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo(DeadLetters.PROCESSING_ERROR);
        assertThat(new String(dead.get(0).headers().lastHeader(DeadLetters.DETAIL).value(), StandardCharsets.UTF_8))
                .contains("cache_write_1h_tokens (11) is a part of cache_write_tokens and cannot exceed it (10)");
    }
}
