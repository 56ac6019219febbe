package dev.costmeter.faults.workload;

/** One thing the workload driver sends, at an offset from the run's start. */
public sealed interface Step permits Step.Call, Step.Resend, Step.SendOutcome, Step.Poison {

    long offsetMs();

    /** A call's first send. */
    record Call(PlannedCall call) implements Step {
        @Override
        public long offsetMs() {
            return call.offsetMs();
        }
    }

    /** A re-send of an earlier, acknowledged call: same key, same bytes (a producer retry as a client sees it). */
    record Resend(long offsetMs, int callIndex) implements Step {
    }

    record SendOutcome(PlannedOutcome outcome) implements Step {
        @Override
        public long offsetMs() {
            return outcome.offsetMs();
        }
    }

    record Poison(PlannedPoison poison) implements Step {
        @Override
        public long offsetMs() {
            return poison.offsetMs();
        }
    }
}
