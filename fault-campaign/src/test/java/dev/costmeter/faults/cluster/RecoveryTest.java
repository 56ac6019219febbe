package dev.costmeter.faults.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.faults.schedule.Fault;
import dev.costmeter.faults.schedule.FaultKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryTest {

    private static final LagSample BEFORE = new LagSample(1_000, Map.of(0, 100L, 1, 200L), Map.of(0, 150L, 1, 260L));
    private static final FaultRecord KILL = new FaultRecord(new Fault(1, FaultKind.METERING_KILL, 0, "metering#0", 0, 0),
            "metering-stream-1", 1_000, 1_010, BEFORE, null);

    @Test
    void shouldTimeRecoveryToTheMomentThePreFaultBacklogIsCommitted() {
        List<LagSample> samples = List.of(
                new LagSample(1_500, Map.of(0, 150L, 1, 200L), Map.of(0, 300L, 1, 400L)),   // partition 1 stalled
                new LagSample(9_000, Map.of(0, 290L, 1, 250L), Map.of(0, 400L, 1, 500L)),   // moving, not there yet
                new LagSample(12_000, Map.of(0, 390L, 1, 261L), Map.of(0, 450L, 1, 560L))); // past 150 and 260
        assertThat(Recovery.toCaughtUp(KILL, samples)).hasValue(11_000);
        assertThat(Recovery.toLedgerResumed(KILL, samples)).hasValue(8_000);
        assertThat(Recovery.peakLag(KILL, samples, 20_000)).isEqualTo(360);
    }

    @Test
    void shouldHaveNoTimeWhenMeteringNeverCaughtUpOrNoOffsetsWereRead() {
        List<LagSample> stalled = List.of(new LagSample(5_000, Map.of(0, 150L, 1, 200L), Map.of(0, 300L, 1, 400L)));
        assertThat(Recovery.toCaughtUp(KILL, stalled)).isEmpty();
        assertThat(Recovery.toLedgerResumed(KILL, stalled)).isEmpty();
        FaultRecord blind = new FaultRecord(KILL.fault(), KILL.target(), 1_000, 1_010, null, null);
        assertThat(Recovery.toCaughtUp(blind, stalled)).isEmpty();
    }
}
