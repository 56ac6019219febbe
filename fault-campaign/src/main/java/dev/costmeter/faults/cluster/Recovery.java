package dev.costmeter.faults.cluster;

import java.util.List;
import java.util.OptionalLong;

/** Recovery times of a fault, read from the lag samples. */
public final class Recovery {

    private Recovery() {
    }

    /**
     * From injection until metering has committed everything the usage topic held when the fault was
     * injected: the pre-fault backlog's lag back to 0 (under continuous load the live lag never is).
     */
    public static OptionalLong toCaughtUp(FaultRecord record, List<LagSample> samples) {
        if (record.before() == null) {
            return OptionalLong.empty();
        }
        for (LagSample sample : samples) {
            if (sample.atMs() >= record.injectedAt() && sample.caughtUpWith(record.before().ends())) {
                return OptionalLong.of(sample.atMs() - record.injectedAt());
            }
        }
        return OptionalLong.empty();
    }

    /**
     * From injection until metering has committed past its pre-fault offsets on every usage partition.
     * Under exactly-once an offset commits in the transaction that carries the ledger records of what it
     * read, so this is when ledger output has resumed for every partition, the killed instance's included.
     */
    public static OptionalLong toLedgerResumed(FaultRecord record, List<LagSample> samples) {
        if (record.before() == null) {
            return OptionalLong.empty();
        }
        for (LagSample sample : samples) {
            if (sample.atMs() > record.injectedAt() && sample.advancedEverywhereSince(record.before())) {
                return OptionalLong.of(sample.atMs() - record.injectedAt());
            }
        }
        return OptionalLong.empty();
    }

    /** The largest lag sampled between injection and recovery (or the next {@code untilMs}). */
    public static long peakLag(FaultRecord record, List<LagSample> samples, long untilMs) {
        long peak = 0;
        for (LagSample sample : samples) {
            if (sample.atMs() >= record.injectedAt() && sample.atMs() < untilMs) {
                peak = Math.max(peak, sample.lag());
            }
        }
        return peak;
    }
}
