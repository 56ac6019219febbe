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

/**
 * envelope against a real HTTP server answering as metering-stream's {@code /v1/envelope} does for
 * the hand-built ledger of metering's {@code LeversTopologyTest} (62,100,000 nano-USD on 27 November,
 * 6,000,000 of it retries); "now" is 2026-11-27T12:00:00Z.
 */
class EnvelopeCommandTest {

    static final String ENVELOPE = """
            {"dimension":"tenant","scope":"acme","month":"2026-11","through":"2026-11-27","days_elapsed":27,
             "days_in_month":30,"days_left":3,"spent_nanos":62100000,"waste_nanos":6000000,"dearest_day_nanos":62100000,
             "best_nanos":68333333,"base_nanos":69000000,"worst_nanos":248400000,"rule":"...",
             "days":[{"day":"2026-11-27","cost_nanos":62100000,"waste_nanos":6000000}]}
            """;

    private RoutedHttpServer metering;

    @BeforeEach
    void start() throws Exception {
        metering = new RoutedHttpServer().route("/v1/envelope", 200, ENVELOPE);
    }

    @AfterEach
    void stop() {
        metering.close();
    }

    @Test
    void shouldAskMeteringForTheEnvelopeOfThisMonthAndPrintItsThreeNumbers() {
        CostctlRun run = CostctlRun.of("envelope", "--dimension", "tenant", "--scope", "acme", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString("/v1/envelope?dimension=tenant&scope=acme&month=2026-11");
        assertThat(run.out()).isEqualTo("""
                tenant acme, 2026-11 (UTC) through 2026-11-27: 27 of 30 days elapsed, 3 left
                spent $0.062100, of which waste (retried calls) $0.006000; dearest day $0.062100
                CASE   MONTH_TOTAL  RULE
                -----  -----------  ---------------------------------------------------
                best     $0.068333  S + r x (S - W) / n: the mean day without its waste
                base     $0.069000  S + r x S / n: the mean day
                worst    $0.248400  S + r x P: every day left as dear as the dearest
                """);
    }

    @Test
    void shouldPassTheThroughDayAndPrintMeteringsAnswerAsJson() throws Exception {
        CostctlRun run = CostctlRun.of("--output", "json", "envelope", "--dimension", "model", "--scope", "openai/gpt-4o",
                "--month", "2026-11", "--through", "2026-11-27", "--metering-url", metering.url());

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.OK);
        assertThat(metering.requests()).singleElement().hasToString(
                "/v1/envelope?dimension=model&scope=openai%2Fgpt-4o&month=2026-11&through=2026-11-27");
        JsonNode json = Json.mapper().readTree(run.out());
        assertThat(json.get("best_nanos").asLong()).isEqualTo(68_333_333L);
        assertThat(json.get("base_nanos").asLong()).isEqualTo(69_000_000L);
        assertThat(json.get("worst_nanos").asLong()).isEqualTo(248_400_000L);
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
    void shouldRefuseABadThroughDayBeforeAskingMetering() {
        CostctlRun run = CostctlRun.of("envelope", "--dimension", "tenant", "--scope", "acme", "--through", "27 Nov",
                "--metering-url", metering.url());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("--through must be YYYY-MM-DD, not '27 Nov'");
        assertThat(metering.requests()).isEmpty();
    }

    @Test
    void shouldFailWithMeteringsReasonWhenItRefusesTheMonth() throws Exception {
        try (RoutedHttpServer refusing = new RoutedHttpServer().route("/v1/envelope", 400,
                "{\"error\":\"'through' (2026-12-01) is after today (2026-11-27, UTC)\",\"retryable\":false}")) {
            CostctlRun run = CostctlRun.of("envelope", "--dimension", "tenant", "--scope", "acme", "--month", "2026-12",
                    "--metering-url", refusing.url());

            assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(run.err()).contains("is after today");
        }
    }
}
