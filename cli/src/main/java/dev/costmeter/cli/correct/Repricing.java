package dev.costmeter.cli.correct;

import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.contracts.PricedUsage;
import dev.costmeter.pricing.LedgeredCall;
import dev.costmeter.pricing.Rates;
import java.time.Instant;
import java.util.Optional;

/**
 * Reprices a call, as it stands after the corrections already applied to it, and states the
 * difference as a {@link LedgerCorrection}: {@link LedgeredCall#correction}, the one statement that
 * metering-stream's automatic corrections use too, so the same repricing carries the same id.
 */
public final class Repricing {

    private Repricing() {
    }

    /** The correction taking {@code current} to its cost at {@code rates}, or empty when no amount changes. */
    public static Optional<LedgerCorrection> correction(PricedUsage current, Optional<Rates> rates, String reason,
            Instant issuedAt) {
        return LedgeredCall.correction(current, rates, reason, issuedAt);
    }

}
