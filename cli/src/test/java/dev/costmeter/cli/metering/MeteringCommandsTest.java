package dev.costmeter.cli.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** spend and top-tasks against a real HTTP server answering as metering-stream's query API does. */
class MeteringCommandsTest {

    static final String SPEND = """
            {"dimension":"TENANT","scope":"acme","granularity":"HOUR","from":"2026-11-27T00:00:00Z","to":"2026-11-28T00:00:00Z",
             "windows":[
              {"window_start":"2026-11-27T10:00:00Z","window_end":"2026-11-27T11:00:00Z","calls":12,"retries":2,"failures":1,
               "response_cache_hits":0,"unpriced_calls":0,"input_tokens":120000,"output_tokens":8000,"cache_read_tokens":40000,
               "cache_write_tokens":0,"cost_nanos":1234567890,"input_cost_nanos":300000000,"output_cost_nanos":80000000,
               "cache_read_cost_nanos":50000000,"cache_write_cost_nanos":0,"savings_nanos":450000500,"cache_hit_rate_bps":2500},
              {"window_start":"2026-11-27T11:00:00Z","window_end":"2026-11-27T12:00:00Z","calls":1,"retries":0,"failures":0,
               "response_cache_hits":0,"unpriced_calls":1,"input_tokens":1,"output_tokens":1,"cache_read_tokens":0,
               "cache_write_tokens":0,"cost_nanos":499,"input_cost_nanos":499,"output_cost_nanos":0,
               "cache_read_cost_nanos":0,"cache_write_cost_nanos":0,"savings_nanos":0,"cache_hit_rate_bps":0}],
             "total":{"calls":13,"retries":2,"failures":1,"response_cache_hits":0,"unpriced_calls":1,"input_tokens":120001,
              "output_tokens":8001,"cache_read_tokens":40000,"cache_write_tokens":0,"cost_nanos":1234568389,
              "input_cost_nanos":300000499,"output_cost_nanos":80000000,"cache_read_cost_nanos":50000000,
              "cache_write_cost_nanos":0,"savings_nanos":450000500,"cache_hit_rate_bps":2499}}
            """;

    static final String TOP_TASKS = """
            {"day":"2026-11-27","tasks":[
              {"task_id":"t1","tenant_id":"acme","task_class":"support-answer","route":"chat","calls":3,"retries":1,"failures":0,
               "input_tokens":3000,"output_tokens":900,"cache_read_tokens":0,"cache_write_tokens":0,"cost_nanos":16500000,
               "savings_nanos":0,"tool_calls":2,"models":{"openai/gpt-4o":{"calls":3,"cost_nanos":16500000}},
               "first_seen":"2026-11-27T10:00:00Z","last_seen":"2026-11-27T10:00:09Z","outcome":"SUCCESS","human_corrected":false},
              {"task_id":"t2","tenant_id":"globex","task_class":"triage","route":"email","calls":2,"retries":0,"failures":1,
               "input_tokens":10,"output_tokens":10,"cache_read_tokens":0,"cache_write_tokens":0,"cost_nanos":900,
               "savings_nanos":0,"tool_calls":0,"models":{"openai/gpt-4o-mini":{"calls":1,"cost_nanos":400},
               "anthropic/claude-haiku-4-5-20251001":{"calls":1,"cost_nanos":500}},
               "first_seen":"2026-11-27T11:00:00Z","last_seen":"2026-11-27T11:00:01Z","outcome":null,"human_corrected":true}]}
            """;

    private FakeMeteringServer metering;

    @BeforeEach
    void start() throws IOException {
        metering = new FakeMeteringServer();
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldAskForSpendAndPrintATableOfWindows() {
        metering.answer(200, SPEND);

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--from", "2026-11-27T00:00:00Z",
                "--to", "2026-11-28T00:00:00Z", "--granularity", "hour", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString(
                "/v1/spend?dimension=tenant&scope=acme&from=2026-11-27T00%3A00%3A00Z&to=2026-11-28T00%3A00%3A00Z&granularity=hour");
        assertThat(run.out()).isEqualTo("""
                TENANT acme, HOUR windows from 2026-11-27T00:00:00Z to 2026-11-28T00:00:00Z
                WINDOW_START          CALLS  RETRIES  FAILURES  UNPRICED  INPUT_TOK  OUTPUT_TOK  CACHE_READ_TOK  CACHE_WRITE_TOK       COST    SAVINGS  CACHE_HIT
                --------------------  -----  -------  --------  --------  ---------  ----------  --------------  ---------------  ---------  ---------  ---------
                2026-11-27T10:00:00Z     12        2         1         0     120000        8000           40000                0  $1.234568  $0.450001     25.00%
                2026-11-27T11:00:00Z      1        0         0         1          1           1               0                0  $0.000000  $0.000000      0.00%
                TOTAL                    13        2         1         1     120001        8001           40000                0  $1.234568  $0.450001     24.99%
                """);
    }

    @Test
    void shouldEncodeAScopeThatIsAModelKey() {
        metering.answer(200, SPEND);

        CostctlRun run = CostctlRun.of("spend", "--dimension", "MODEL", "--scope", "openai/gpt-4o", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests().get(0).getRawQuery()).isEqualTo("dimension=model&scope=openai%2Fgpt-4o");
    }

    @Test
    void shouldPassTheAnswerThroughAsPrettyJson() {
        metering.answer(200, SPEND);

        CostctlRun run = CostctlRun.of("--output", "json", "spend", "--dimension", "tenant", "--scope", "acme",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).startsWith("{\n  \"dimension\" : \"TENANT\",\n")
                .contains("\"cost_nanos\" : 1234567890,")
                .contains("\"cache_hit_rate_bps\" : 2499\n");
    }

    @Test
    void shouldRetryA503UntilMeteringStreamAnswers() {
        String restoring = "{\"error\":\"state store is restoring\",\"retryable\":true}";
        metering.answer(503, restoring).answer(503, restoring).answer(503, restoring).answer(200, SPEND);

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).hasSize(4);
    }

    @Test
    void shouldFailWithTheMessageAfterThreeRetriesOfA503() {
        String restoring = "{\"error\":\"state store is restoring\",\"retryable\":true}";
        for (int i = 0; i < 5; i++) {
            metering.answer(503, restoring);
        }

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo(
                "costctl: metering-stream answered HTTP 503 after 4 attempts to GET /v1/spend: state store is restoring\n");
        assertThat(metering.requests()).hasSize(4);
    }

    @Test
    void shouldNotRetryA503MarkedNotRetryable() {
        metering.answer(503, "{\"error\":\"query layer disabled\",\"retryable\":false}");

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: metering-stream answered HTTP 503 to GET /v1/spend: query layer disabled\n");
        assertThat(metering.requests()).hasSize(1);
    }

    @Test
    void shouldFailWithTheServersMessageOnABadRequest() {
        metering.answer(400, "{\"error\":\"from must be before to\",\"retryable\":false}");

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--from", "2026-11-28T00:00:00Z",
                "--to", "2026-11-27T00:00:00Z", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: metering-stream answered HTTP 400 to GET /v1/spend: from must be before to\n");
    }

    @Test
    void shouldFailOnA404WithTheServersMessage() {
        metering.answer(404, "{\"error\":\"unknown dimension scope\",\"retryable\":false}");

        CostctlRun run = CostctlRun.of("top-tasks", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: metering-stream answered HTTP 404 to GET /v1/top-tasks: unknown dimension scope\n");
    }

    @Test
    void shouldExitWithThreeWhenMeteringStreamIsNotListening() throws IOException {
        String url = "http://127.0.0.1:" + closedPort();

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--metering-url", url);

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).isEqualTo("costctl: metering-stream is not reachable at " + url + " (connection refused)\n");
    }

    @Test
    void shouldAskForTodaysTopTenTasksByDefault() {
        metering.answer(200, TOP_TASKS);

        CostctlRun run = CostctlRun.of("top-tasks", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString("/v1/top-tasks?day=2026-11-27&limit=10");
        assertThat(run.out()).isEqualTo("""
                Top tasks on 2026-11-27
                TASK_ID  TENANT  TASK_CLASS      ROUTE  CALLS  RETRIES  FAILURES  TOOL_CALLS       COST    SAVINGS  MODELS                                                                             OUTCOME  CORRECTED
                -------  ------  --------------  -----  -----  -------  --------  ----------  ---------  ---------  ---------------------------------------------------------------------------------  -------  ---------
                t1       acme    support-answer  chat       3        1         0           2  $0.016500  $0.000000  openai/gpt-4o(3) $0.016500                                                         SUCCESS  no
                t2       globex  triage          email      2        0         1           0  $0.000001  $0.000000  openai/gpt-4o-mini(1) $0.000000, anthropic/claude-haiku-4-5-20251001(1) $0.000001  -        yes
                """);
    }

    @Test
    void shouldAskForTheGivenDayAndLimit() {
        metering.answer(200, "{\"day\":\"2026-11-20\",\"tasks\":[]}");

        CostctlRun run = CostctlRun.of("top-tasks", "--day", "2026-11-20", "--limit", "3", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString("/v1/top-tasks?day=2026-11-20&limit=3");
        assertThat(run.out()).isEqualTo("No tasks on 2026-11-20.\n");
    }

    @Test
    void shouldRefuseMoneyThatIsNotAWholeNumberOfNanos() {
        metering.answer(200, SPEND.replace("\"cost_nanos\":1234567890", "\"cost_nanos\":1234567890.5"));

        CostctlRun run = CostctlRun.of("spend", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: metering-stream sent cost_nanos=1.2345678905E9, not a whole number\n");
    }

    @Test
    void shouldRejectABadDayAsAUsageError() {
        CostctlRun run = CostctlRun.of("top-tasks", "--day", "27/11/2026", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(metering.requests()).isEmpty();
    }

    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
