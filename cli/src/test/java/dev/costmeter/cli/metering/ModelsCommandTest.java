package dev.costmeter.cli.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.http.RoutedHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** models against a real HTTP server answering as metering-stream's query API does. */
class ModelsCommandTest {

    static final String PATH = "/v1/task-classes/support%20answer/models";
    static final String ANSWER = """
            {"task_class":"support answer","from":"2026-11-01","to":"2026-11-27","models":[
              {"model":"anthropic/claude-haiku","calls":400,"cost_nanos":2000000000,"cost_per_call_nanos":5000000,"tasks":100,
               "successful_tasks":50,"success_rate_bps":5000,"cost_per_successful_task_nanos":40000000,
               "successful_cost_nanos":900000000,"waste_nanos":1100000000,"open_tasks":0,"open_calls":0,"open_cost_nanos":0},
              {"model":"openai/gpt-4o","calls":3,"cost_nanos":30000000,"cost_per_call_nanos":10000000,"tasks":0,
               "successful_tasks":0,"success_rate_bps":null,"cost_per_successful_task_nanos":null,
               "successful_cost_nanos":0,"waste_nanos":0,"open_tasks":2,"open_calls":3,"open_cost_nanos":30000000}]}
            """;

    private RoutedHttpServer metering;

    @BeforeEach
    void start() throws Exception {
        metering = new RoutedHttpServer().route(PATH, 200, ANSWER);
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldShowCostPerCallSuccessRateAndCostPerSuccessPerModelWithTasksThatHaveNoOutcomeYet() {
        CostctlRun run = CostctlRun.of("models", "--task-class", "support answer", "--from", "2026-11-01", "--to", "2026-11-27",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString(PATH + "?from=2026-11-01&to=2026-11-27");
        assertThat(run.out()).isEqualTo("""
                Task class support answer, 2026-11-01 to 2026-11-27 (UTC days)
                MODEL                   CALLS       COST  COST_PER_CALL  TASKS  OPEN_TASKS  SUCCESS_RATE  COST_PER_SUCCESS      WASTE
                ----------------------  -----  ---------  -------------  -----  ----------  ------------  ----------------  ---------
                anthropic/claude-haiku    400  $2.000000      $0.005000    100           0        50.00%         $0.040000  $1.100000
                openai/gpt-4o               3  $0.030000      $0.010000      0           2             -                 -  $0.000000
                """);
    }

    @Test
    void shouldLeaveTheRangeToMeteringAndPrintItsAnswerAsJson() throws Exception {
        CostctlRun run = CostctlRun.of("--output", "json", "models", "--task-class", "support answer",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString(PATH);
        assertThat(Json.mapper().readTree(run.out())).isEqualTo(Json.mapper().readTree(ANSWER));
    }

    @Test
    void shouldRefuseARangeThatEndsBeforeItStarts() {
        CostctlRun run = CostctlRun.of("models", "--task-class", "x", "--from", "2026-11-27", "--to", "2026-11-01",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("--from 2026-11-27 is after --to 2026-11-01");
        assertThat(metering.requests()).isEmpty();
    }
}
