package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.GPT_IN;
import static dev.costmeter.metering.MeteringDriver.GPT_OUT;
import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.CallStatus;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.metering.state.TaskClassStats;
import dev.costmeter.metering.state.TaskTotals;
import dev.costmeter.metering.taskclass.AggregateTaskClass;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskEconomicsTest {

    @TempDir
    Path stateDir;

    private MeteringDriver metering;

    @BeforeEach
    void start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), GPT_IN, GPT_OUT).build());
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldTotalATaskWithItsRetriesFailuresToolCallsAndModels() {
        metering.send(call("e1", "t1", T0).setToolName("search").build());
        metering.send(call("e2", "t1", T0.plusSeconds(5)).setAttempt(2).setStatus(CallStatus.TIMEOUT).build());
        metering.send(call("e3", "t1", T0.plusSeconds(9)).setModel("unknown").build());

        TaskTotals task = tasks().get("t1");
        assertThat(task.getCalls()).isEqualTo(3);
        assertThat(task.getRetries()).isEqualTo(1);
        assertThat(task.getFailures()).isEqualTo(1);
        assertThat(task.getToolCalls()).isEqualTo(1);
        assertThat(task.getUnpricedCalls()).isEqualTo(1);
        assertThat(task.getCostNanos()).isEqualTo(20_000_000L);
        assertThat(task.getModels()).containsOnlyKeys("openai/gpt-4o", "openai/unknown");
        assertThat(task.getFirstSeen()).isEqualTo(T0.toEpochMilli());
        assertThat(task.getLastSeen()).isEqualTo(T0.plusSeconds(9).toEpochMilli());
    }

    @Test
    void shouldGiveCostPerSuccessfulTaskAndWasteWithRetriesAndFailedTasks() {
        // t1 succeeds after a retry: 2 calls. t2 fails after 3 calls. t3 succeeds in 1 call.
        metering.send(call("a1", "t1", T0).build());
        metering.send(call("a2", "t1", T0.plusSeconds(1)).setAttempt(2).build());
        metering.finish("t1", Outcome.SUCCESS, T0.plusSeconds(2));
        metering.send(call("b1", "t2", T0).build());
        metering.send(call("b2", "t2", T0.plusSeconds(1)).setAttempt(2).setStatus(CallStatus.ERROR).build());
        metering.send(call("b3", "t2", T0.plusSeconds(2)).setAttempt(3).setStatus(CallStatus.ERROR).build());
        metering.finish("t2", Outcome.FAILURE, T0.plusSeconds(3));
        metering.send(call("c1", "t3", T0).build());
        metering.finish("t3", Outcome.SUCCESS, T0.plusSeconds(4));

        TaskClassStats stats = classStats("2026-11-27", "openai/gpt-4o");
        assertThat(stats.getTasks()).isEqualTo(3);
        assertThat(stats.getSuccessfulTasks()).isEqualTo(2);
        assertThat(stats.getCalls()).isEqualTo(6);
        assertThat(stats.getCostNanos()).isEqualTo(60_000_000L);
        assertThat(stats.getSuccessfulCostNanos()).isEqualTo(30_000_000L);
        assertThat(stats.getWasteNanos()).isEqualTo(30_000_000L);
        // Cost per successful task counts all spend of the kind of work, failures included: $0.06 / 2.
        assertThat(stats.getCostNanos() / stats.getSuccessfulTasks()).isEqualTo(30_000_000L);
    }

    @Test
    void shouldMoveSpendAfterTheOutcomeIntoThatOutcome() {
        metering.send(call("a1", "t1", T0).build());
        metering.finish("t1", Outcome.ABANDONED, T0.plusSeconds(1));
        metering.send(call("a2", "t1", T0.plusSeconds(2)).build());

        TaskClassStats stats = classStats("2026-11-27", "openai/gpt-4o");
        assertThat(stats.getTasks()).isEqualTo(1);
        assertThat(stats.getCalls()).isEqualTo(2);
        assertThat(stats.getWasteNanos()).isEqualTo(20_000_000L);
    }

    @Test
    void shouldCountATaskWhoseOutcomeArrivedBeforeItsUsage() {
        metering.finish("t1", Outcome.SUCCESS, T0);
        metering.send(call("a1", "t1", T0).build());
        metering.send(call("a2", "t1", T0.plusSeconds(1)).build());
        metering.finish("t2", Outcome.FAILURE, T0);
        metering.send(call("b1", "t2", T0).build());

        TaskClassStats stats = classStats("2026-11-27", "openai/gpt-4o");
        assertThat(stats.getTasks()).isEqualTo(2);
        assertThat(stats.getSuccessfulTasks()).isEqualTo(1);
        assertThat(stats.getCalls()).isEqualTo(3);
        assertThat(stats.getSuccessfulCostNanos()).isEqualTo(20_000_000L);
        assertThat(stats.getWasteNanos()).isEqualTo(10_000_000L);
    }

    @Test
    void shouldIgnoreARepeatedOutcomeAndReverseAChangedOne() {
        metering.send(call("a1", "t1", T0).build());
        metering.finish("t1", Outcome.FAILURE, T0.plusSeconds(1));
        metering.finish("t1", Outcome.FAILURE, T0.plusSeconds(1));
        metering.finish("t1", Outcome.SUCCESS, T0.plusSeconds(2));

        TaskClassStats stats = classStats("2026-11-27", "openai/gpt-4o");
        assertThat(stats.getTasks()).isEqualTo(1);
        assertThat(stats.getSuccessfulTasks()).isEqualTo(1);
        assertThat(stats.getWasteNanos()).isZero();
        assertThat(stats.getSuccessfulCostNanos()).isEqualTo(10_000_000L);
    }

    private KeyValueStore<String, TaskTotals> tasks() {
        return metering.driver.getKeyValueStore(MeteringTopology.TASK_STORE);
    }

    private TaskClassStats classStats(String day, String model) {
        KeyValueStore<String, TaskClassStats> store = metering.driver.getKeyValueStore(MeteringTopology.TASK_CLASS_STORE);
        TaskClassStats stats = store.get(AggregateTaskClass.key("support-answer", day, model));
        assertThat(stats).as("task_class stats for %s %s", day, model).isNotNull();
        return stats;
    }
}
