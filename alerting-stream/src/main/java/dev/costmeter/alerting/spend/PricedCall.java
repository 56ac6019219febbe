package dev.costmeter.alerting.spend;

import dev.costmeter.contracts.UsageEvent;

/**
 * A usage event with what it costs, priced by alerting itself as metering does (the shared
 * {@code dev.costmeter.pricing.CallCost}), so that spend rules act on the call, not on the ledger or
 * rollups that follow it seconds later. Passed between processors of one task only, never serialized.
 *
 * @param costNanos what the call is charged, in nano-USD (0 when unpriced)
 * @param priced    whether a price was in force for the call
 */
public record PricedCall(UsageEvent event, long costNanos, boolean priced) {
}
