package dev.costmeter.cli.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import org.junit.jupiter.api.Test;

class SpendHelpTest {

    @Test
    void shouldShowTheDefaultsOfTheWindowOptions() {
        CostctlRun run = CostctlRun.of("spend", "--help");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.OK);
        String help = run.out().replaceAll("\\s+", " "); // picocli wraps descriptions at any space
        assertThat(help).containsSubsequence("--from", "default: 24 hours before --to")
                .containsSubsequence("--to", "default: now").containsSubsequence("--granularity", "default: hour")
                .containsSubsequence("--metering-url", "default: http", "--output", "default: table");
    }

    @Test
    void shouldListOnlyTheOptionsSpendUses() {
        CostctlRun run = CostctlRun.of("spend", "--help");

        assertThat(run.out()).contains("Usage: costctl spend", "--dimension", "--scope", "--timeout", "--config")
                .doesNotContain("--bootstrap-servers", "--schema-registry-url", "--topic-prices", "--topic-budgets",
                        "--topic-control");
    }
}
