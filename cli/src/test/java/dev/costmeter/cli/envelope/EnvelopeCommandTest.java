package dev.costmeter.cli.envelope;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.http.RoutedHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** envelope against a real HTTP server answering as metering-stream does; "now" is 2026-11-27T12:00:00Z. */
class EnvelopeCommandTest {

    // Nov 1: $10, Nov 2: $30, Nov 26: $20.000000001, today (Nov 27) so far: $5; every other day nothing.
    static final String SPEND = """
            {"dimension":"TENANT","scope":"acme","granularity":"DAY","from":"2026-11-01T00:00:00Z","to":"2026-11-27T12:00:00Z",
             "windows":[
              {"window_start":"2026-11-01T00:00:00Z","calls":10,"cost_nanos":10000000000},
              {"window_start":"2026-11-02T00:00:00Z","calls":30,"cost_nanos":30000000000},
              {"window_start":"2026-11-26T00:00:00Z","calls":20,"cost_nanos":20000000001},
              {"window_start":"2026-11-27T00:00:00Z","calls":5,"cost_nanos":5000000000}],
             "total":{"calls":65,"cost_nanos":65000000001}}
            """;

    private RoutedHttpServer metering;

    @BeforeEach
    void start() throws Exception {
        metering = new RoutedHttpServer().route("/v1/spend", 200, SPEND);
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldAskForThisMonthsDailySpendAndProjectItExactly() {
        CostctlRun run = CostctlRun.of("envelope", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString("/v1/spend?dimension=tenant&scope=acme"
                + "&from=2026-11-01T00%3A00%3A00Z&to=2026-11-27T12%3A00%3A00Z&granularity=day");
        // S = $65.000000001 over 26 complete days; 3.5 days left.
        // base: 60,000,000,001 x 3.5 / 26 = 8,076,923,077.06 -> 73,076,923,078 nanos; best: the lowest day is $0;
        // worst: 26 days, so the 90th percentile, rank ceil(23.4) = 24 of the sorted days = $10, x 3.5 = $35.
        assertThat(run.out()).isEqualTo("""
                tenant acme, 2026-11 (UTC), as of 2026-11-27T12:00:00Z
                spent so far $65.000000 over 26 complete day(s) + $5.000000 today; 3.50 day(s) left
                CASE   DAILY_RATE  BASIS                MONTH_TOTAL
                -----  ----------  -------------------  -----------
                best    $0.000000  lowest day            $65.000000
                base    $2.307692  mean day              $73.076923
                worst  $10.000000  90th percentile day  $100.000000
                """);
    }

    @Test
    void shouldPrintIntegerNanosAsJson() throws Exception {
        CostctlRun run = CostctlRun.of("--output", "json", "envelope", "--dimension", "tenant", "--scope", "acme",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("spent_nanos").asLong()).isEqualTo(65_000_000_001L);
        assertThat(json.get("complete_days").asInt()).isEqualTo(26);
        assertThat(json.get("remaining_ms").asLong()).isEqualTo(302_400_000L);
        assertThat(json.get("base_nanos").asLong()).isEqualTo(65_000_000_001L + 8_076_923_077L);
        assertThat(json.get("best_nanos").asLong()).isEqualTo(65_000_000_001L);
        assertThat(json.get("worst_basis").asText()).isEqualTo("p90");
        assertThat(json.get("worst_nanos").asLong()).isEqualTo(65_000_000_001L + 35_000_000_000L);
    }

    @Test
    void shouldRequireAScopeBecauseMeteringKeepsNoTenantList() {
        CostctlRun run = CostctlRun.of("envelope", "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("Missing required options: '--dimension=tenant|route|model|task_class|prompt_version', "
                + "'--scope=<scope>'");
        assertThat(metering.requests()).isEmpty();
    }

    @Test
    void shouldRefuseAMonthThatHasNotStarted() {
        CostctlRun run = CostctlRun.of("envelope", "--dimension", "tenant", "--scope", "acme", "--month", "2026-12",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("--month 2026-12 has not started yet");
    }
}
