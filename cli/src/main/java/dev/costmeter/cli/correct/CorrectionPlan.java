package dev.costmeter.cli.correct;

import dev.costmeter.contracts.LedgerCorrection;
import java.util.List;

/**
 * What a repricing of one model over a period comes to.
 *
 * @param calls       ledgered calls of the model in the period
 * @param oldTotal    their cost now (ledgered plus applied corrections), nano-USD
 * @param newTotal    their cost at the prices in force at their times, nano-USD
 * @param corrections one per call whose cost changes
 */
public record CorrectionPlan(long calls, long oldTotal, long newTotal, List<LedgerCorrection> corrections) {

    public long difference() {
        return Math.subtractExact(newTotal, oldTotal);
    }
}
