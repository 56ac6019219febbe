package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.Alert;
import dev.costmeter.contracts.AlertStatus;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.contracts.TaskCeiling;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskRulesTest {

    @TempDir
    Path stateDir;
    AlertingDriver d;

    @BeforeEach
    void start() throws Exception {
        d = new AlertingDriver(stateDir); // K = 5, N = 30
    }

    @AfterEach
    void stop() {
        d.close();
    }

    private void loopCall(int i, String task) {
        d.send(call("e" + task + i, task, T0.plusSeconds(i * 3L)).setToolName("search").setToolArgsHash("h1")
                .setStep(i).build());
    }

    @Test
    void shouldBlockTaskOnKthRepeatOfTheSameToolCallAndNeverRepeatTheAlert() {
        for (int i = 1; i <= 4; i++) {
            loopCall(i, "t1");
        }
        assertThat(d.commands()).isEmpty();
        loopCall(5, "t1");
        for (int i = 6; i <= 9; i++) {
            loopCall(i, "t1");
        }
        assertThat(d.commands()).singleElement().satisfies(c -> {
            assertThat(c.getScope()).isEqualTo("task:t1");
            assertThat(c.getAction()).isEqualTo(SwitchAction.BLOCK);
            assertThat(c.getIssuer()).isEqualTo("rule:task_loop");
            assertThat(c.getExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        });
        Alert alert = d.alerts().get(0);
        assertThat(d.alerts()).hasSize(1);
        assertThat(alert.getStatus()).isEqualTo(AlertStatus.FIRING);
        assertThat(alert.getObservedValue()).isEqualTo(5);
        assertThat(alert.getEvidence()).containsEntry("tool_name", "search");
        assertThat(alert.getDedupKey()).isEqualTo("task_loop|task:t1|K5|" + T0);
    }

    @Test
    void shouldNotCountDifferentToolArgumentsAsALoop() {
        for (int i = 1; i <= 10; i++) {
            d.send(call("e" + i, "t2", T0.plusSeconds(i * 3L)).setToolName("search").setToolArgsHash("h" + i).build());
        }
        assertThat(d.commands()).isEmpty();
    }

    @Test
    void shouldBlockTaskRepeatingTheSamePromptHash() {
        for (int i = 1; i <= 5; i++) {
            d.send(call("e" + i, "t3", T0.plusSeconds(i * 3L)).setPromptHash("p").build());
        }
        assertThat(d.commands()).extracting(ControlCommand::getScope).containsExactly("task:t3");
        assertThat(d.alerts().get(0).getEvidence()).containsEntry("prompt_hash", "p");
    }

    @Test
    void shouldBlockTaskAboveNCallsInASlidingMinuteOnly() {
        for (int i = 0; i < 30; i++) { // 30 calls, 2.5 s apart: at most 24 in any minute
            d.send(call("slow" + i, "t4", T0.plusMillis(i * 2_500L)).build());
        }
        assertThat(d.commands()).isEmpty();
        for (int i = 0; i < 31; i++) { // 31 calls within 31 s
            d.send(call("fast" + i, "t5", T0.plusSeconds(i)).build());
        }
        assertThat(d.commands()).extracting(ControlCommand::getScope, ControlCommand::getIssuer)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("task:t5", "rule:task_call_rate"));
    }

    @Test
    void shouldBlockTaskAtItsClassCallRetryAndTokenCeilings() {
        d.apply(BudgetPolicy.newBuilder().setScope("task_default:agent").setUpdatedAt(T0)
                .setTaskCeiling(TaskCeiling.newBuilder().setMaxCalls(3).setMaxRetries(2).setMaxTotalTokens(100_000L).build())
                .build());
        for (int i = 1; i <= 3; i++) {
            d.send(call("c" + i, "calls", T0.plusSeconds(i)).build());
        }
        d.send(call("r1", "retries", T0).setAttempt(2).build());
        d.send(call("r2", "retries", T0.plusSeconds(1)).setAttempt(3).build());
        d.send(call("k1", "tokens", T0).setInputTokens(99_000).build());
        d.send(call("k2", "tokens", T0.plusSeconds(1)).setInputTokens(1_000).build());
        assertThat(d.commands()).extracting(ControlCommand::getScope, ControlCommand::getIssuer).containsExactly(
                org.assertj.core.groups.Tuple.tuple("task:calls", "rule:task_calls"),
                org.assertj.core.groups.Tuple.tuple("task:retries", "rule:task_retries"),
                org.assertj.core.groups.Tuple.tuple("task:tokens", "rule:task_tokens"));
    }

    @Test
    void shouldLiftAQuietTaskBlockByWallClockPunctuationWithAHigherSequence() {
        for (int i = 1; i <= 5; i++) {
            loopCall(i, "t6");
        }
        d.advance(Duration.ofMinutes(59));
        assertThat(d.commands()).hasSize(1);
        d.advance(Duration.ofMinutes(2)); // no events: only the punctuation runs
        List<ControlCommand> commands = d.commands();
        assertThat(commands).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK, SwitchAction.ALLOW);
        assertThat(commands.get(1).getSequence()).isGreaterThan(commands.get(0).getSequence());
        assertThat(commands.get(1).getExpiresAt()).isNull();
        assertThat(d.alerts()).extracting(Alert::getStatus).containsExactly(AlertStatus.FIRING, AlertStatus.RESOLVED);
        assertThat(d.alerts().get(1).getDedupKey()).isEqualTo(d.alerts().get(0).getDedupKey());
    }

    @Test
    void shouldSkipUsageThatMeteringDeadLettersWithoutDeadLetteringItAgain() {
        d.rawUsage.pipeInput("t7".getBytes(StandardCharsets.UTF_8), new byte[] {0, 0, 0, 0, 9, 1});
        d.usage.pipeInput("t7", call("t7-before-1970", "t7", Instant.ofEpochMilli(-1_000)).build(), T0);
        d.usage.pipeInput("t7", call("t7-negative", "t7", T0).setInputTokens(-5).build(), T0);
        for (int i = 1; i <= 5; i++) {
            loopCall(i, "t7");
        }

        assertThat(d.dlq.isEmpty()).isTrue();
        assertThat(d.counter("costmeter.alerting.skipped", "reason", "undecodable")).isEqualTo(1.0);
        assertThat(d.counter("costmeter.alerting.skipped", "reason", "invalid-event-time")).isEqualTo(1.0);
        assertThat(d.counter("costmeter.alerting.skipped", "reason", "negative-value")).isEqualTo(1.0);
        assertThat(d.commands()).hasSize(1);
    }
}
