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
 * levers against a real HTTP server answering with what metering-stream's {@code /v1/levers} answered
 * for the hand-built ledger of metering's {@code LeversTopologyTest} (saved from a run of it): the tenant's day (cache +27,000,000 on
 * reads, -7,500,000 on a cache written but never read; batch +22,500,000; one retry of 6,000,000) and
 * the route whose cache only lost money.
 */
class LeversCommandTest {

    /** metering-stream's answers for the hand-built day, as its LocalQueries wrote them (LeversTopologyTest's ledger). */
    static final String TENANT = answer("levers-tenant-acme.json");
    static final String DRAFT = answer("levers-route-draft.json");

    private static String answer(String name) {
        try (java.io.InputStream in = LeversCommandTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

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
        metering = new RoutedHttpServer().route("/v1/levers", 200, TENANT.replace("\"cost_nanos\": 62100000", "\"cost_nanos\": 6.21e7"));
        CostctlRun run = CostctlRun.of("levers", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).contains("cost_nanos=6.21E7, not a whole number");
    }
}
