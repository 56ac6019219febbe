package dev.costmeter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CostctlTest {

    @TempDir
    Path dir;

    @Test
    void shouldExitWithTwoOnAUsageError() {
        CostctlRun run = CostctlRun.of("spend", "--dimension", "galaxy", "--scope", "acme");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--dimension'");
    }

    @Test
    void shouldExitWithTwoWithoutASubcommand() {
        assertThat(CostctlRun.of().exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CostctlRun.of("prices").exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void shouldRefuseAnInvalidCatalogBeforeContactingKafka() throws IOException {
        Path catalog = Files.writeString(dir.resolve("catalog.yaml"), """
                as_of: 2026-11-27
                models:
                  - provider: openai
                    model: gpt-4o
                    input_per_mtok: "-2.50"
                    source: "https://openai.com/api/pricing (read 2026-11-27)"
                """);

        CostctlRun run = CostctlRun.of("prices", "apply", catalog.toString(), "--bootstrap-servers", "127.0.0.1:" + closedPort());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: catalog " + catalog + " is invalid (2 problems); nothing was published:\n"
                + "  models[0]: missing required field 'output_per_mtok'\n"
                + "  models[0].input_per_mtok: negative rate \"-2.50\"\n");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void shouldFailOnAMissingCatalogFile() {
        CostctlRun run = CostctlRun.of("prices", "apply", dir.resolve("nope.yaml").toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.err()).isEqualTo("costctl: cannot read catalog " + dir.resolve("nope.yaml") + ": no such file\n");
    }

    @Test
    void shouldExitWithThreeNamingKafkaWhenNoBrokerAnswers() throws IOException {
        String address = "127.0.0.1:" + closedPort();

        CostctlRun run = CostctlRun.of("prices", "list", "--bootstrap-servers", address, "--timeout", "1");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).isEqualTo("costctl: Kafka is not reachable at " + address + " (no broker answered within 1s)\n");
    }

    /** A local port nothing listens on: connecting to it is refused. */
    static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
