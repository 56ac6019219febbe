package dev.costmeter.cli.switches;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlRun;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.schemas.control.ControlKeyPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What switch commands refuse before they contact Kafka. */
class SwitchesCommandTest {

    @Test
    void shouldRefuseAScopeNoSwitchCanName() {
        CostctlRun run = CostctlRun.of("switches", "block", "task_class:eval", "--reason", "runaway", "--operator", "alice");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).startsWith("\"task_class:eval\" is not a switch scope; expected one of tenant:<id>, ");
    }

    @Test
    void shouldRefuseToPublishWithoutASigningKey() {
        Run run = withEnv(Map.of("USER", "alice"), "switches", "block", "route:chat", "--reason", "runaway");

        assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).startsWith("No key to sign with: set COSTMETER_CONTROL_SIGNING_KEY (id:base64 PKCS#8, or "
                + "file:<path>; `costctl keys generate` makes a pair) or pass --signing-key; services ignore unsigned commands");
    }

    @Test
    void shouldNameTheKeySourceButNeverTheKeyOfABadSigningKey() {
        Run run = withEnv(Map.of("USER", "alice", "COSTMETER_CONTROL_SIGNING_KEY", "ops:c2hvcnQ="), "switches", "allow",
                "route:chat", "--reason", "fixed");

        assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).contains("Invalid signing key in COSTMETER_CONTROL_SIGNING_KEY: ")
                .contains("not a PKCS#8 Ed25519 private key").doesNotContain("c2hvcnQ=");
    }

    @Test
    void shouldRefuseToPublishOrListWithoutTheKeysServicesVerifyWith() {
        ControlKeyPair pair = ControlKeyPair.generate("ops");

        Run publish = withEnv(Map.of("USER", "alice", "COSTMETER_CONTROL_SIGNING_KEY", pair.signingKeyText()), "switches",
                "block", "route:chat", "--reason", "runaway");
        Run list = withEnv(Map.of(), "switches", "list");

        assertThat(publish.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(publish.err).startsWith("No verify keys: set COSTMETER_CONTROL_VERIFY_KEYS (the public keys services hold in "
                + "control.verify.keys) or pass --verify-keys");
        assertThat(list.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(list.err).startsWith("No verify keys");
    }

    @Test
    void shouldRefuseAnAnonymousOperator() {
        Run run = withEnv(Map.of(), "switches", "block", "route:chat", "--reason", "runaway");

        assertThat(run.exitCode).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err).startsWith("Who is acting is unknown: pass --operator <name> (USER is not set)");
    }

    @Test
    void shouldReadShortAndIsoDurations() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("15m")).isEqualTo(Duration.ofMinutes(15));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(converter.convert("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        CostctlRun run = CostctlRun.of("switches", "block", "route:chat", "--for", "soon", "--reason", "x");
        assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("'soon' is not a duration such as 90s, 15m, 1h, 2d or PT1H30M");
    }

    private record Run(int exitCode, String err) {
    }

    private static Run withEnv(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Costctl.commandLine(new Costctl(CostctlRun.CLOCK, Duration.ZERO, env::get));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        return new Run(commandLine.execute(args), err.toString());
    }
}
