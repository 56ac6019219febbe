package dev.costmeter.cli.prices;

import static dev.costmeter.cli.prices.PriceHistoryTest.JAN;
import static dev.costmeter.cli.prices.PriceHistoryTest.NOV;
import static dev.costmeter.cli.prices.PriceHistoryTest.gpt4o;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.catalog.Catalog;
import dev.costmeter.cli.catalog.CatalogEntry;
import dev.costmeter.cli.prices.PriceHistory.Action;
import dev.costmeter.contracts.PriceEntry;
import dev.costmeter.contracts.PriceVersion;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ApplyPlanTest {

    private static final CatalogEntry HAIKU = new CatalogEntry(1, "anthropic", "claude-haiku-4-5-20251001", NOV,
            1_000_000_000L, 5_000_000_000L, 100_000_000L, 1_250_000_000L, 500_000_000L, 2_500_000_000L, null,
            "https://platform.claude.com/docs/en/about-claude/pricing (read 2026-11-27)");

    @Test
    void shouldAddEveryModelOfTheFirstCatalog() {
        ApplyPlan plan = ApplyPlan.of(Map.of(), catalog(gpt4o(NOV, 2_500_000_000L), HAIKU));

        assertThat(plan.steps()).extracting(ApplyPlan.Step::action).containsExactly(Action.ADDED, Action.ADDED);
        assertThat(plan.records()).extracting(PriceEntry::getPriceVersion)
                .containsExactly("openai/gpt-4o@2026-11-27T00:00:00Z", "anthropic/claude-haiku-4-5-20251001@2026-11-27T00:00:00Z");
    }

    @Test
    void shouldPublishNothingWhenTheCatalogIsReapplied() {
        Catalog catalog = catalog(gpt4o(NOV, 2_500_000_000L), HAIKU);
        Map<String, PriceHistory> topic = topicAfter(ApplyPlan.of(Map.of(), catalog));

        ApplyPlan again = ApplyPlan.of(topic, catalog);

        assertThat(again.steps()).extracting(ApplyPlan.Step::action).containsExactly(Action.UNCHANGED, Action.UNCHANGED);
        assertThat(again.records()).isEmpty();
    }

    @Test
    void shouldPublishOnlyTheChangedModelKeepingItsOldVersion() {
        Map<String, PriceHistory> topic = topicAfter(ApplyPlan.of(Map.of(), catalog(gpt4o(NOV, 2_500_000_000L), HAIKU)));

        ApplyPlan plan = ApplyPlan.of(topic, catalog(gpt4o(JAN, 2_000_000_000L), HAIKU));

        assertThat(plan.steps()).extracting(ApplyPlan.Step::action).containsExactly(Action.UPDATED, Action.UNCHANGED);
        assertThat(plan.records()).singleElement().satisfies(record -> {
            assertThat(record.getInputNanosPerMtok()).isEqualTo(2_000_000_000L);
            assertThat(record.getSuperseded()).extracting(PriceVersion::getInputNanosPerMtok).containsExactly(2_500_000_000L);
        });
    }

    @Test
    void shouldPublishOneRecordWithEveryVersionWhenACatalogHoldsSeveralForOneModel() {
        ApplyPlan plan = ApplyPlan.of(Map.of(), catalog(gpt4o(NOV, 2_500_000_000L), gpt4o(JAN, 2_000_000_000L)));

        assertThat(plan.steps()).extracting(ApplyPlan.Step::action).containsExactly(Action.ADDED, Action.ADDED);
        assertThat(plan.records()).singleElement().satisfies(record -> {
            assertThat(record.getEffectiveFrom()).isEqualTo(JAN);
            assertThat(record.getSuperseded()).extracting(PriceVersion::getEffectiveFrom).containsExactly(NOV);
        });
        assertThat(plan.count(Action.ADDED)).isEqualTo(2);
    }

    private static Catalog catalog(CatalogEntry... entries) {
        return new Catalog(LocalDate.of(2026, 11, 27), List.of(entries));
    }

    /** What reading the topic back gives after {@code plan} was published. */
    private static Map<String, PriceHistory> topicAfter(ApplyPlan plan) {
        Map<String, PriceHistory> topic = new TreeMap<>();
        for (PriceEntry record : plan.records()) {
            topic.put(record.getProvider() + "/" + record.getModel(), PriceHistory.of(record));
        }
        return topic;
    }
}
