package dev.costmeter.cli.whatif;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input to {@code costctl whatif} is refused before Kafka is contacted (the bootstrap address
 * below has no broker), with one line naming the option and a usage error's exit code. Unknown
 * models and periods with no calls need the topics: {@code WhatIfIT}.
 */
class WhatIfCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--cache-hit-rate 1.5|--cache-hit-rate must be a share from 0 to 1, such as 0.85, not 1.5",
        "--cache-hit-rate -0.2|--cache-hit-rate must be a share from 0 to 1, such as 0.85, not -0.2",
        "--cache-hit-rate half|--cache-hit-rate must be a decimal share from 0 to 1, such as 0.85, not \"half\"",
        "--batch --success-rate 1.01|--success-rate must be a share from 0 to 1, such as 0.85, not 1.01",
        "--task-class support --model haiku|--model must be PROVIDER/MODEL, such as openai/gpt-4o-mini, not \"haiku\"",
        "--model anthropic/haiku|--model moves a kind of work or a route: give --task-class or --route",
        "--cache-hit-rate 0.5 --non-interactive-label interactive=false|--non-interactive-label only applies with --batch",
        "--batch --non-interactive-label nightly|invalid scenario: \"nightly\" is not a label such as interactive=false",
        "--max-output-tokens 0|invalid scenario: a cap on output tokens is at least 1 token, not 0",
        "--route /chat|no scenario: give at least one of --model, --batch, --cache-hit-rate, --max-output-tokens",
        "--batch --tenant ' '|--tenant must not be blank",
    })
    void shouldRefuseBadInputWithAUsageError(String options, String message) {
        CostctlRun run = whatif("2026-11-01", "2026-11-08", options);

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
        assertThat(run.out()).isEmpty();
    }

    @ParameterizedTest(name = "{0} to {1}")
    @CsvSource({
        "2026-11-08, 2026-11-08, the period is empty: --from 2026-11-08T00:00:00Z must be before --to 2026-11-08T00:00:00Z",
        "2026-11-08T12:00:00Z, 2026-11-08, the period is empty: --from 2026-11-08T12:00:00Z must be before --to 2026-11-08T00:00:00Z",
        "1.11.2026, 2026-11-08, \"1.11.2026\" is neither an ISO-8601 instant such as 2026-11-27T00:00:00Z nor a day such as 2026-11-27",
    })
    void shouldRefuseAnEmptyOrUnreadablePeriod(String from, String to, String message) {
        CostctlRun run = whatif(from, to, "--batch");

        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains(message);
    }

    private static CostctlRun whatif(String from, String to, String options) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("--bootstrap-servers", "127.0.0.1:1",
                "--timeout", "1", "whatif", "--from", from, "--to", to));
        // A quoted blank value stays one argument.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(options);
        while (m.find()) {
            args.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return CostctlRun.of(args.toArray(String[]::new));
    }
}
