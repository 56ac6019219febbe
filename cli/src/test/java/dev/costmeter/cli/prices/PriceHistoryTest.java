package dev.costmeter.cli.prices;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.catalog.CatalogEntry;
import dev.costmeter.cli.prices.PriceHistory.Action;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PriceHistoryTest {

    static final Instant OCT = Instant.parse("2026-10-01T00:00:00Z");
    static final Instant NOV = Instant.parse("2026-11-27T00:00:00Z");
    static final Instant JAN = Instant.parse("2027-01-01T00:00:00Z");

    static CatalogEntry gpt4o(Instant effectiveFrom, long inputNanos) {
        return new CatalogEntry(0, "openai", "gpt-4o", effectiveFrom, inputNanos, 10_000_000_000L, 1_250_000_000L, 0L,
                1_250_000_000L, 5_000_000_000L, null, "https://openai.com/api/pricing (read 2026-11-27)");
    }

    @Test
    void shouldAddTheFirstVersionOfAModel() {
        PriceHistory.Merge merge = PriceHistory.merge(null, gpt4o(NOV, 2_500_000_000L));

        assertThat(merge.action()).isEqualTo(Action.ADDED);
        PriceEntry record = merge.history().toPriceEntry();
        assertThat(record.getProvider()).isEqualTo("openai");
        assertThat(record.getModel()).isEqualTo("gpt-4o");
        assertThat(record.getEffectiveFrom()).isEqualTo(NOV);
        assertThat(record.getInputNanosPerMtok()).isEqualTo(2_500_000_000L);
        assertThat(record.getBatchOutputNanosPerMtok()).isEqualTo(5_000_000_000L);
        assertThat(record.getPriceVersion()).isEqualTo("openai/gpt-4o@2026-11-27T00:00:00Z");
        assertThat(record.getSource()).isEqualTo("https://openai.com/api/pricing (read 2026-11-27)");
        assertThat(record.getSuperseded()).isEmpty();
    }

    @Test
    void shouldKeepTheOldVersionInSupersededWhenANewerOneArrives() {
        PriceHistory october = PriceHistory.merge(null, gpt4o(OCT, 5_000_000_000L)).history();

        PriceHistory.Merge merge = PriceHistory.merge(PriceHistory.of(october.toPriceEntry()), gpt4o(NOV, 2_500_000_000L));

        assertThat(merge.action()).isEqualTo(Action.UPDATED);
        PriceEntry record = merge.history().toPriceEntry();
        assertThat(record.getEffectiveFrom()).isEqualTo(NOV);
        assertThat(record.getInputNanosPerMtok()).isEqualTo(2_500_000_000L);
        assertThat(record.getSuperseded()).extracting(PriceVersion::getPriceVersion)
                .containsExactly("openai/gpt-4o@2026-10-01T00:00:00Z");
        assertThat(record.getSuperseded().get(0).getInputNanosPerMtok()).isEqualTo(5_000_000_000L);
    }

    @Test
    void shouldReplaceAVersionWithTheSameEffectiveFrom() {
        PriceHistory first = PriceHistory.merge(null, gpt4o(NOV, 2_500_000_000L)).history();

        PriceHistory.Merge merge = PriceHistory.merge(PriceHistory.of(first.toPriceEntry()), gpt4o(NOV, 2_000_000_000L));

        assertThat(merge.action()).isEqualTo(Action.UPDATED);
        PriceEntry record = merge.history().toPriceEntry();
        assertThat(record.getInputNanosPerMtok()).isEqualTo(2_000_000_000L);
        assertThat(record.getSuperseded()).isEmpty();
    }

    @Test
    void shouldLeaveAnIdenticalVersionUnchanged() {
        PriceHistory history = PriceHistory.of(PriceHistory.merge(null, gpt4o(NOV, 2_500_000_000L)).history().toPriceEntry());

        PriceHistory.Merge merge = PriceHistory.merge(history, gpt4o(NOV, 2_500_000_000L));

        assertThat(merge.action()).isEqualTo(Action.UNCHANGED);
        assertThat(merge.history()).isSameAs(history);
    }

    @Test
    void shouldRecogniseAnIdenticalVersionAmongTheSuperseded() {
        PriceHistory history = PriceHistory.merge(null, gpt4o(OCT, 5_000_000_000L)).history();
        history = PriceHistory.of(PriceHistory.merge(history, gpt4o(NOV, 2_500_000_000L)).history().toPriceEntry());

        assertThat(PriceHistory.merge(history, gpt4o(OCT, 5_000_000_000L)).action()).isEqualTo(Action.UNCHANGED);
    }

    @Test
    void shouldPutAFutureDatedPriceOnTopWhileTheCurrentOneStaysInForce() {
        PriceHistory now = PriceHistory.merge(null, gpt4o(NOV, 2_500_000_000L)).history();

        PriceHistory withFuture = PriceHistory.merge(now, gpt4o(JAN, 2_000_000_000L)).history();

        PriceEntry record = withFuture.toPriceEntry();
        assertThat(record.getEffectiveFrom()).isEqualTo(JAN);
        assertThat(record.getSuperseded()).extracting(PriceVersion::getEffectiveFrom).containsExactly(NOV);
        assertThat(withFuture.versionAt(Instant.parse("2026-12-15T00:00:00Z")).orElseThrow().getInputNanosPerMtok())
                .isEqualTo(2_500_000_000L);
        assertThat(withFuture.versionAt(JAN).orElseThrow().getInputNanosPerMtok()).isEqualTo(2_000_000_000L);
        assertThat(withFuture.versionAt(Instant.parse("2026-11-26T23:59:59.999Z"))).isEmpty();
    }

    @Test
    void shouldKeepTheWholeHistoryNewestFirstWhenAnOlderVersionIsBackfilled() {
        PriceHistory history = PriceHistory.merge(null, gpt4o(NOV, 2_500_000_000L)).history();
        history = PriceHistory.merge(history, gpt4o(JAN, 2_000_000_000L)).history();

        PriceHistory.Merge merge = PriceHistory.merge(PriceHistory.of(history.toPriceEntry()), gpt4o(OCT, 5_000_000_000L));

        PriceEntry record = merge.history().toPriceEntry();
        assertThat(record.getEffectiveFrom()).isEqualTo(JAN);
        assertThat(record.getSuperseded()).extracting(PriceVersion::getEffectiveFrom).containsExactly(NOV, OCT);
    }

    @Test
    void shouldCarryTheLongContextTier() {
        CatalogEntry sonnet = new CatalogEntry(0, "anthropic", "claude-sonnet-4-5-20250929", NOV, 3_000_000_000L,
                15_000_000_000L, 300_000_000L, 3_750_000_000L, 1_500_000_000L, 7_500_000_000L,
                new CatalogEntry.LongContextRates(200_000, 6_000_000_000L, 22_500_000_000L, 600_000_000L, 7_500_000_000L),
                "https://platform.claude.com/docs/en/about-claude/pricing (read 2026-11-27)");

        PriceEntry record = PriceHistory.merge(null, sonnet).history().toPriceEntry();

        assertThat(record.getLongContext().getThresholdPromptTokens()).isEqualTo(200_000L);
        assertThat(record.getLongContext().getOutputNanosPerMtok()).isEqualTo(22_500_000_000L);
        assertThat(PriceHistory.of(record).toPriceEntry()).isEqualTo(record);
    }
}
