package dev.costmeter.faults.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static final ScheduleOptions OPTIONS = ScheduleOptions.defaults();

    @Test
    void shouldBeAPureFunctionOfTheSeed() {
        FaultSchedule first = FaultSchedule.generate(7, 20, OPTIONS);
        assertThat(FaultSchedule.generate(7, 20, OPTIONS)).isEqualTo(first);
        assertThat(FaultSchedule.generate(7, 20, OPTIONS).render()).isEqualTo(first.render());
        assertThat(FaultSchedule.generate(8, 20, OPTIONS).faults()).isNotEqualTo(first.faults());
    }

    @Test
    void shouldInjectEveryKindAndKillEveryBrokerWhenTheCountAllows() {
        for (long seed = 1; seed <= 30; seed++) {
            List<Fault> faults = FaultSchedule.generate(seed, 20, OPTIONS).faults();
            assertThat(faults).hasSize(20);
            assertThat(faults.stream().map(Fault::kind).collect(Collectors.toSet())).isEqualTo(EnumSet.allOf(FaultKind.class));
            assertThat(faults.stream().filter(f -> f.kind() == FaultKind.BROKER_KILL).map(Fault::target))
                    .contains("kafka-1", "kafka-2", "kafka-3");
        }
    }

    @Test
    void shouldScaleInOnlyAfterAScaleOut() {
        for (long seed = 1; seed <= 200; seed++) {
            int added = 0;
            for (Fault fault : FaultSchedule.generate(seed, 12, OPTIONS).faults()) {
                if (fault.kind() == FaultKind.SCALE_OUT) {
                    added++;
                } else if (fault.kind() == FaultKind.SCALE_IN) {
                    assertThat(added).as("seed %d: a scale-in with no instance added", seed).isPositive();
                    added--;
                }
            }
        }
    }

    @Test
    void shouldLeaveTimeToRecoverBetweenFaults() {
        FaultSchedule schedule = FaultSchedule.generate(7, 20, OPTIONS);
        List<Fault> faults = schedule.faults();
        assertThat(faults.get(0).atMs()).isEqualTo(OPTIONS.warmUp().toMillis());
        for (int i = 1; i < faults.size(); i++) {
            Fault before = faults.get(i - 1);
            assertThat(faults.get(i).atMs() - before.atMs() - before.holdMs())
                    .as("room after fault %d", before.number()).isGreaterThanOrEqualTo(OPTIONS.recovery().toMillis());
        }
        assertThat(schedule.lengthMs()).isGreaterThanOrEqualTo(faults.get(faults.size() - 1).atMs() + OPTIONS.tail().toMillis());
        assertThat(faults).filteredOn(f -> f.kind() == FaultKind.METERING_ZOMBIE)
                .allMatch(f -> f.holdMs() == OPTIONS.zombiePause().toMillis());
        assertThat(faults).filteredOn(f -> f.kind() == FaultKind.RESEND_BURST).allMatch(f -> f.amount() >= 1_000);
    }
}
