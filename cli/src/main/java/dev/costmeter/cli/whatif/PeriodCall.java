package dev.costmeter.cli.whatif;

import dev.costmeter.contracts.PricedUsage;

/**
 * A ledgered call of the period as it stands now: its ledger record (which never changes) with the
 * cost the corrections metering applied since have brought it to, as every PostgreSQL view nets
 * them ({@code ledger_net}).
 *
 * @param call      the ledger record: tokens, dimensions, time
 * @param costNanos its cost now, nano-USD
 * @param priced    whether it is priced now (an unpriced call corrected later is)
 */
public record PeriodCall(PricedUsage call, long costNanos, boolean priced) {

    /** A call no correction has touched. */
    public static PeriodCall ledgered(PricedUsage call) {
        return new PeriodCall(call, call.getCostNanos(), call.getPriced());
    }

    String taskId() {
        return call.getTaskId();
    }

    String modelKey() {
        return call.getProvider() + "/" + call.getModel();
    }
}
