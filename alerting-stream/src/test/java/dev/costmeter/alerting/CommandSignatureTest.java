package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.alerting.control.CommandGate;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.KeyRing;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandSignatureTest {

    @TempDir
    Path stateDir;

    private List<ControlCommand> blockThenAllow() throws Exception {
        try (AlertingDriver d = new AlertingDriver(stateDir)) {
            for (int i = 1; i <= 5; i++) {
                d.send(call("e" + i, "t1", T0.plusSeconds(i)).setToolName("x").setToolArgsHash("h").build());
            }
            d.advance(Duration.ofMinutes(61));
            return d.commands();
        }
    }

    @Test
    void shouldSignEveryCommandSoThatTrustedConsumersAcceptThem() throws Exception {
        List<ControlCommand> commands = blockThenAllow();
        assertThat(commands).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK, SwitchAction.ALLOW);
        CommandGate gate = new CommandGate(AlertingDriver.RING);
        assertThat(commands).allSatisfy(c -> {
            assertThat(c.getKeyId()).isEqualTo("local-only-insecure");
            assertThat(gate.offer(c)).isEqualTo(CommandGate.Verdict.ACCEPTED);
        });
    }

    @Test
    void shouldTellForgedAndReplayedCommandsApart() throws Exception {
        List<ControlCommand> commands = blockThenAllow();
        ControlCommand block = commands.get(0);
        ControlCommand allow = commands.get(1);
        CommandGate gate = new CommandGate(AlertingDriver.RING);

        ControlCommand altered = ControlCommand.newBuilder(allow).setScope("tenant:acme").build();
        assertThat(gate.offer(altered)).isEqualTo(CommandGate.Verdict.FORGED);
        KeyRing attacker = KeyRing.of("local-only-insecure", "an attacker's key of at least 32 bytes"
                .getBytes(StandardCharsets.UTF_8));
        assertThat(gate.offer(CommandSigner.sign(allow, attacker))).isEqualTo(CommandGate.Verdict.FORGED);
        KeyRing unknown = KeyRing.of("someone-else", "another key that is at least 32 bytes".getBytes(StandardCharsets.UTF_8));
        assertThat(gate.offer(CommandSigner.sign(allow, unknown))).isEqualTo(CommandGate.Verdict.UNKNOWN_KEY);

        assertThat(gate.offer(block)).isEqualTo(CommandGate.Verdict.ACCEPTED);
        assertThat(gate.offer(allow)).isEqualTo(CommandGate.Verdict.ACCEPTED);
        assertThat(gate.offer(block)).isEqualTo(CommandGate.Verdict.REPLAYED); // old BLOCK replayed after the ALLOW
    }
}
