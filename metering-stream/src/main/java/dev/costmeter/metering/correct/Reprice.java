package dev.costmeter.metering.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.LedgeredCall;
import dev.costmeter.pricing.Rates;
import java.time.Instant;
import java.util.Optional;

/**
 * Reprices a ledgered call with other rates and states the difference as a {@link LedgerCorrection},
 * through {@link LedgeredCall#correction}, which {@code costctl prices correct} uses too. The old cost is the call's ledgered cost; a
 * call corrected before is repriced against its latest corrected cost by whoever issues the next
 * correction (costctl reads the applied corrections for that).
 */
public final class Reprice {

    /** Reason of the corrections metering issues on its own when a price arrives for unpriced calls. */
    public static final String PRICE_ARRIVED = "price-arrived";

    private Reprice() {
    }

    /**
     * The correction that takes {@code call} from its ledgered cost to its cost at {@code rates}, or
     * empty when nothing changes (same price version and same amounts).
     *
     * @throws ArithmeticException when the exact cost does not fit a long
     */
    public static Optional<LedgerCorrection> correction(PricedUsage call, Optional<Rates> rates, String reason,
            Instant issuedAt) {
        return LedgeredCall.correction(call, rates, reason, issuedAt);
    }

}
