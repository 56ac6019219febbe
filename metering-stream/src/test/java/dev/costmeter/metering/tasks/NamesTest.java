package dev.costmeter.metering.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.metering.state.TaskTotals;
import org.junit.jupiter.api.Test;

class NamesTest {

    @Test
    void shouldGiveEveryTaskOfATenantTheSameCopyOfItsNames() {
        Names names = new Names();
        TaskTotals first = TaskOutcomes.newTask(names, "t-1", new String("acme"), new String("support"), new String("chat"), 1L);
        TaskTotals second = TaskOutcomes.newTask(names, "t-2", new String("acme"), new String("support"), new String("chat"), 2L);

        assertThat(second.getTenantId()).isSameAs(first.getTenantId()).isEqualTo("acme");
        assertThat(second.getTaskClass()).isSameAs(first.getTaskClass()).isEqualTo("support");
        assertThat(second.getRoute()).isSameAs(first.getRoute()).isEqualTo("chat");
        assertThat(first.getCalls()).isZero();
        assertThat(first.getRecentEventIds().remaining()).isZero();
        assertThat(first.getFirstSeen()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldStartOverRatherThanGrowPastItsBoundAndStillAnswerEqualNames() {
        Names names = new Names();
        String early = names.of(new String("name-0"));
        for (int i = 1; i <= Names.MAX_NAMES; i++) {
            assertThat(names.of("name-" + i)).isEqualTo("name-" + i);
        }

        String again = names.of(new String("name-0"));
        assertThat(again).isEqualTo(early).isNotSameAs(early);
        assertThat(names.of(null)).isNull();
    }
}
