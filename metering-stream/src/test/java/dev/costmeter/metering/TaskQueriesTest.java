package dev.costmeter.metering;

import static dev.costmeter.metering.MeteringDriver.GPT_IN;
import static dev.costmeter.metering.MeteringDriver.GPT_OUT;
import static dev.costmeter.metering.MeteringDriver.T0;
import static dev.costmeter.metering.MeteringDriver.call;
import static dev.costmeter.metering.MeteringDriver.price;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.Outcome;
import dev.costmeter.metering.query.LocalQueries;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The task queries, from the stores the topology fills: {@code /v1/task-classes/{c}/models} (exact
 * ratios, open tasks counted) and {@code /v1/top-tasks} (tasks by the day of their first call).
 */
class TaskQueriesTest {

    private static final LocalDate DAY = LocalDate.of(2026, 11, 27);

    @TempDir
    Path stateDir;

    private MeteringDriver metering;
    private LocalQueries queries;

    @BeforeEach
    void start() throws IOException {
        metering = new MeteringDriver(MeteringSettings.defaults(), stateDir);
        metering.send(price("gpt-4o", T0.minus(Duration.ofDays(30)), GPT_IN, GPT_OUT).build());
        queries = metering.queries();
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldCountTheCallsOfTasksWithoutAnOutcome() {
        // Two tasks of the class, neither finished: before the fix the answer had no model at all,
        // and costctl models printed "No calls of this task class in this range".
        metering.send(call("a1", "t1", T0).build());
        metering.send(call("a2", "t1", T0.plusSeconds(1)).setAttempt(2).build());
        metering.send(call("b1", "t2", T0.plusSeconds(2)).build());

        Map<String, Object> row = onlyRow(queries.taskClassModels("support-answer", DAY, DAY));
        assertThat(row).containsEntry("model", "openai/gpt-4o").containsEntry("calls", 3L)
                .containsEntry("cost_nanos", 30_000_000L).containsEntry("tasks", 0L).containsEntry("open_tasks", 2L)
                .containsEntry("open_calls", 3L).containsEntry("open_cost_nanos", 30_000_000L)
                .containsEntry("cost_per_call_nanos", 10_000_000L);
        assertThat(row.get("success_rate_bps")).isNull();
        assertThat(row.get("cost_per_successful_task_nanos")).isNull();
    }

    @Test
    void shouldRoundRatiosHalfUpInsteadOfTruncating() {
        // Three finished tasks, two successes: 2/3 = 6,666.67 bps -> 6,667 (truncation gave 6,666).
        // Four calls of 2,000 in / 500 out at $2.50 / $10 plus one of 1 output token ($0.00001 = 10,000 nanos):
        // 40,010,000 nanos over 5 calls = 8,002,000 exactly; over 2 successes 20,005,000.
        metering.send(call("a1", "t1", T0).build());
        metering.finish("t1", Outcome.SUCCESS, T0.plusSeconds(1));
        metering.send(call("b1", "t2", T0).build());
        metering.send(call("b2", "t2", T0.plusSeconds(1)).build());
        metering.finish("t2", Outcome.FAILURE, T0.plusSeconds(2));
        metering.send(call("c1", "t3", T0).build());
        metering.send(call("c2", "t3", T0.plusSeconds(1)).setInputTokens(0).setOutputTokens(1).build());
        metering.finish("t3", Outcome.SUCCESS, T0.plusSeconds(3));
        // One more task, open, of 5 input tokens (12,500 nanos): cost per call 40,022,500 / 6 = 6,670,416.67 -> 6,670,417.
        metering.send(call("d1", "t4", T0).setInputTokens(5).setOutputTokens(0).build());

        Map<String, Object> row = onlyRow(queries.taskClassModels("support-answer", DAY, DAY));
        assertThat(row).containsEntry("calls", 6L).containsEntry("cost_nanos", 40_022_500L).containsEntry("tasks", 3L)
                .containsEntry("successful_tasks", 2L).containsEntry("open_tasks", 1L)
                .containsEntry("success_rate_bps", 6_667L)
                .containsEntry("cost_per_call_nanos", 6_670_417L)
                // finished spend (40,010,000) over 2 successes
                .containsEntry("cost_per_successful_task_nanos", 20_005_000L);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> onlyRow(Map<String, Object> answer) {
        List<Map<String, Object>> models = (List<Map<String, Object>>) answer.get("models");
        assertThat(models).hasSize(1);
        return models.get(0);
    }

    @Test
    void shouldListTheMostExpensiveTasksOfTheDayOfTheirFirstCall() {
        metering.send(call("a1", "t1", T0).build());
        metering.send(call("a2", "t1", T0.plusSeconds(1)).build());
        metering.send(call("b1", "t2", T0.plusSeconds(2)).build());
        // First seen the day before, a millisecond before midnight; its second call on DAY does not move it.
        metering.send(call("c1", "t3", Instant.parse("2026-11-26T23:59:59.999Z")).build());
        metering.send(call("c2", "t3", T0.plusSeconds(3)).build());
        // Exactly at midnight: DAY. Same cost as t2: ties go by task_id.
        metering.send(call("d1", "t4", Instant.parse("2026-11-27T00:00:00Z")).build());

        assertThat(taskIds(queries.topTasks(DAY, 10))).containsExactly("t1", "t2", "t4");
        assertThat(taskIds(queries.topTasks(DAY, 1))).containsExactly("t1");
        assertThat(taskIds(queries.topTasks(DAY.minusDays(1), 10))).containsExactly("t3");
        assertThat(queries.topTasks(DAY.plusDays(1), 10)).isEmpty();
        assertThat(queries.topTasks(DAY, 10).get(0)).containsEntry("calls", 2L).containsEntry("cost_nanos", 20_000_000L);
    }

    @Test
    void shouldMoveATaskToTheDayOfALateCallThatHappenedBeforeItsFirst() {
        metering.send(call("a1", "t1", T0).build());
        assertThat(taskIds(queries.topTasks(DAY, 10))).containsExactly("t1");

        // Delivered late: it happened the evening before.
        metering.send(call("a0", "t1", Instant.parse("2026-11-26T22:00:00Z")).build());

        assertThat(queries.topTasks(DAY, 10)).isEmpty();
        assertThat(taskIds(queries.topTasks(DAY.minusDays(1), 10))).containsExactly("t1");
        assertThat(onlyRow(queries.taskClassModels("support-answer", DAY.minusDays(1), DAY.minusDays(1))))
                .containsEntry("open_tasks", 1L).containsEntry("open_calls", 2L);
        assertThat((List<?>) queries.taskClassModels("support-answer", DAY, DAY).get("models")).isEmpty();
    }

    private static List<Object> taskIds(List<Map<String, Object>> tasks) {
        return tasks.stream().map(task -> task.get("task_id")).toList();
    }
}
