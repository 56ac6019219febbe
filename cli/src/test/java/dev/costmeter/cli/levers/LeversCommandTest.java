package dev.costmeter.cli.levers;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.http.RoutedHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * levers against a real HTTP server answering as metering-stream's {@code /v1/levers} does for the
 * hand-built ledger of metering's {@code LeversTopologyTest}: the tenant's day (cache +27,000,000 on
 * reads, -7,500,000 on a cache written but never read; batch +22,500,000; one retry of 6,000,000) and
 * the route whose cache only lost money.
 */
class LeversCommandTest {

    static final String UNAVAILABLE = """
            "unavailable":{"failed_tasks":"not in metering's rollups: a task's outcome arrives after its calls are rolled up; PostgreSQL's waste_daily has it",
                           "loops":"no signal reaches metering or the ledger"}""";

    static final String TENANT = """
            {"dimension":"TENANT","scope":"acme","granularity":"DAY","from":"2026-11-27T00:00:00Z","to":"2026-11-28T00:00:00Z",
             "windows":[{"window_start":"2026-11-27T00:00:00Z"}],
             "total":{"calls":5,"cost_nanos":62100000,
               "prompt_cache":{"saved_nanos":19500000,"calls":2,"cache_read_tokens":10000,"cache_write_tokens":4000},
               "batch":{"saved_nanos":22500000,"calls":2,"tokens":22000},
               "response_cache":{"saved_nanos":0,"calls":0},
               "waste":{"retries":{"cost_nanos":6000000,"calls":1},"failed_tasks":null,"loops":null,"total_nanos":6000000},
               "lost_money":[]},
            """ + UNAVAILABLE + "}";

    static final String DRAFT = """
            {"dimension":"ROUTE","scope":"draft","granularity":"DAY","from":"2026-11-27T00:00:00Z","to":"2026-11-28T00:00:00Z",
             "windows":[{"window_start":"2026-11-27T00:00:00Z"}],
             "total":{"calls":1,"cost_nanos":22500000,
               "prompt_cache":{"saved_nanos":-7500000,"calls":1,"cache_read_tokens":0,"cache_write_tokens":4000},
               "batch":{"saved_nanos":0,"calls":0,"tokens":0},
               "response_cache":{"saved_nanos":0,"calls":0},
               "waste":{"retries":{"cost_nanos":0,"calls":0},"failed_tasks":null,"loops":null,"total_nanos":0},
               "lost_money":["prompt_cache"]},
            """ + UNAVAILABLE + "}";

    private RoutedHttpServer metering;

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldPrintWhatEachLeverSavedAndTheWaste() throws Exception {
        metering = new RoutedHttpServer().route("/v1/levers", 200, TENANT);
        CostctlRun run = CostctlRun.of("levers", "--dimension", "tenant", "--scope", "acme", "--from", "2026-11-27T00:00:00Z",
                "--to", "2026-11-28T00:00:00Z", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString("/v1/levers?dimension=tenant&scope=acme"
                + "&from=2026-11-27T00%3A00%3A00Z&to=2026-11-28T00%3A00%3A00Z&granularity=day");
        assertThat(run.out()).startsWith("""
                tenant acme, 2026-11-27T00:00:00Z to 2026-11-28T00:00:00Z: 5 calls, 1 day(s) with calls, cost $0.062100
                LEVER               SAVED  CALLS  TOKENS
                --------------  ---------  -----  --------------------------
                prompt cache    $0.019500      2  10,000 read, 4,000 written
                batch           $0.022500      2  22,000 in batch calls
                response cache  $0.000000      0  -
                WASTE                       COST  CALLS
                ---------------------  ---------  -----
                retries (attempt > 1)  $0.006000      1
                not shown: failed tasks (not in metering's rollups""");
        assertThat(run.out()).endsWith("No lever lost money.\n");
    }

    @Test
    void shouldSayWhichLeverLostMoney() throws Exception {
        metering = new RoutedHttpServer().route("/v1/levers", 200, DRAFT);
        CostctlRun run = CostctlRun.of("levers", "--dimension", "route", "--scope", "draft", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(run.out()).contains("prompt cache    -$0.007500      1  0 read, 4,000 written")
                .endsWith("LOST MONEY: prompt cache cost $0.007500 more than it saved (cache writes not repaid by cache reads)\n");
    }

    @Test
    void shouldPrintMeteringsAnswerWithIntegerNanosAsJson() throws Exception {
        metering = new RoutedHttpServer().route("/v1/levers", 200, DRAFT);
        CostctlRun run = CostctlRun.of("--output", "json", "levers", "--dimension", "route", "--scope", "draft",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.path("total").path("prompt_cache").path("saved_nanos").asLong()).isEqualTo(-7_500_000L);
        assertThat(json.path("total").path("lost_money").get(0).asText()).isEqualTo("prompt_cache");
    }

    @Test
    void shouldRefuseAnAnswerWhoseAmountIsNotAWholeNumber() throws Exception {
        metering = new RoutedHttpServer().route("/v1/levers", 200, TENANT.replace("\"cost_nanos\":62100000", "\"cost_nanos\":6.21e7"));
        CostctlRun run = CostctlRun.of("levers", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("cost_nanos=6.21E7, not a whole number");
    }
}
