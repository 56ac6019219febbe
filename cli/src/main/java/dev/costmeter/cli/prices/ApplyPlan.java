package dev.costmeter.cli.prices;

import dev.costmeter.cli.catalog.Catalog;
import dev.costmeter.cli.catalog.CatalogEntry;
import dev.costmeter.cli.prices.PriceHistory.Action;
import dev.costmeter.contracts.PriceEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What applying a catalog to the prices topic does: the action for each catalog entry, in catalog
 * order, and one record per model whose history changed, carrying its whole history.
 *
 * @param steps one per catalog entry
 * @param records the records to publish, one per changed model, in catalog order
 */
public record ApplyPlan(List<Step> steps, List<PriceEntry> records) {

    /** The fate of one catalog entry. */
    public record Step(String key, Instant effectiveFrom, Action action) {
    }

    public ApplyPlan {
        steps = List.copyOf(steps);
        records = List.copyOf(records);
    }

    /** Merges every entry of {@code catalog} into {@code current} (the topic's histories by key). */
    public static ApplyPlan of(Map<String, PriceHistory> current, Catalog catalog) {
        Map<String, PriceHistory> histories = new HashMap<>(current);
        Map<String, PriceHistory> changed = new LinkedHashMap<>();
        List<Step> steps = new ArrayList<>();
        for (CatalogEntry entry : catalog.entries()) {
            PriceHistory.Merge merge = PriceHistory.merge(histories.get(entry.key()), entry);
            Action action = merge.action();
            if (action != Action.UNCHANGED) {
                histories.put(entry.key(), merge.history());
                changed.put(entry.key(), merge.history());
                if (action == Action.UPDATED && !current.containsKey(entry.key())) {
                    // A second version of a model the topic did not have: still new to the topic.
                    action = Action.ADDED;
                }
            }
            steps.add(new Step(entry.key(), entry.effectiveFrom(), action));
        }
        List<PriceEntry> records = new ArrayList<>();
        changed.values().forEach(history -> records.add(history.toPriceEntry()));
        return new ApplyPlan(steps, records);
    }

    /** How many entries ended with {@code action}. */
    public long count(Action action) {
        return steps.stream().filter(step -> step.action() == action).count();
    }
}
