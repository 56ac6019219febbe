package dev.costmeter.cli.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import java.util.Comparator;
import java.util.List;

/**
 * A ledgered call as it stands after the corrections metering has applied to it: the ledger record
 * never changes, so its cost now is the ledgered cost plus every applied difference, and its price
 * version the last one applied.
 */
public final class CurrentCost {

    private CurrentCost() {
    }

    /** {@code ledgered} with every correction of {@code applied} added once, in the order they were issued. */
    public static PricedUsage of(PricedUsage ledgered, List<LedgerCorrection> applied) {
        PricedUsage current = PricedUsage.newBuilder(ledgered).build();
        List<LedgerCorrection> inOrder = applied.stream()
                .sorted(Comparator.comparing(LedgerCorrection::getIssuedAt).thenComparing(LedgerCorrection::getCorrectionId))
                .toList();
        for (LedgerCorrection c : inOrder) {
            current.setCostNanos(Math.addExact(current.getCostNanos(), c.getCostDeltaNanos()));
            current.setInputCostNanos(Math.addExact(current.getInputCostNanos(), c.getInputCostDeltaNanos()));
            current.setOutputCostNanos(Math.addExact(current.getOutputCostNanos(), c.getOutputCostDeltaNanos()));
            current.setCacheReadCostNanos(Math.addExact(current.getCacheReadCostNanos(), c.getCacheReadCostDeltaNanos()));
            current.setCacheWriteCostNanos(Math.addExact(current.getCacheWriteCostNanos(), c.getCacheWriteCostDeltaNanos()));
            current.setRequestFeesCostNanos(Math.addExact(current.getRequestFeesCostNanos(), c.getRequestFeesCostDeltaNanos()));
            current.setSavingsNanos(Math.addExact(current.getSavingsNanos(), c.getSavingsDeltaNanos()));
            current.setPriced(c.getNewPriceVersion() != null);
            current.setPriceVersion(c.getNewPriceVersion());
        }
        return current;
    }
}
