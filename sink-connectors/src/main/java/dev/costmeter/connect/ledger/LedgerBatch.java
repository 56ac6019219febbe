package dev.costmeter.connect.ledger;

import dev.costmeter.contracts.CostRollup;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.contracts.TaskOutcome;
import java.util.ArrayList;
import java.util.List;

/** The decoded records of one {@code put()}, by table. */
final class LedgerBatch {

    final List<Sourced<PricedUsage>> usage = new ArrayList<>();
    final List<Sourced<CostRollup>> rollups = new ArrayList<>();
    final List<Sourced<TaskOutcome>> outcomes = new ArrayList<>();
    final List<Sourced<LedgerCorrection>> corrections = new ArrayList<>();

    int size() {
        return usage.size() + rollups.size() + outcomes.size() + corrections.size();
    }

    /** Every record as a batch of its own, for finding the one a data error comes from. */
    List<LedgerBatch> singles() {
        List<LedgerBatch> singles = new ArrayList<>(size());
        usage.forEach(u -> singles.add(single(b -> b.usage.add(u))));
        rollups.forEach(r -> singles.add(single(b -> b.rollups.add(r))));
        outcomes.forEach(o -> singles.add(single(b -> b.outcomes.add(o))));
        corrections.forEach(c -> singles.add(single(b -> b.corrections.add(c))));
        return singles;
    }

    /** The one record of a batch from {@link #singles()}. */
    Sourced<?> only() {
        if (!usage.isEmpty()) {
            return usage.get(0);
        }
        if (!corrections.isEmpty()) {
            return corrections.get(0);
        }
        return rollups.isEmpty() ? outcomes.get(0) : rollups.get(0);
    }

    private static LedgerBatch single(java.util.function.Consumer<LedgerBatch> fill) {
        LedgerBatch batch = new LedgerBatch();
        fill.accept(batch);
        return batch;
    }
}
