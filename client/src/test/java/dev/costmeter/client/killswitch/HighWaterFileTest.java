package dev.costmeter.client.killswitch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.HighWater;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HighWaterFileTest {

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryScopesNewestCommandExactlyAsSigned() throws Exception {
        HighWaterFile file = new HighWaterFile(dir.resolve("state/kill-switch.state"));
        ControlCommand odd = CommandSigner.sign(ControlCommand.newBuilder(
                Commands.unsigned("task:run 7/ü", SwitchAction.DEGRADE, "small model", 1_764_000_000_000_001L,
                        Commands.T0.plusSeconds(60))).setReason("").setIssuer("operator:a b%~").build(), Commands.KEY);
        Map<String, HighWater> waters = Map.of(
                "task:run 7/ü", HighWater.of(odd),
                "prompt:chat@plan@v3", HighWater.of(Commands.allow("prompt:chat@plan@v3", 42)),
                "tenant:gone", HighWater.of(Commands.allow("tenant:gone", 7)).withoutCommand());

        file.save(waters);
        Map<String, HighWater> loaded = file.load();

        assertThat(loaded).isEqualTo(waters);
        assertThat(CommandSigner.verify(loaded.get("task:run 7/ü").command(), Commands.TRUSTED))
                .as("still verifies").isEqualTo(CommandSigner.Verdict.VALID);
        assertThat(Files.list(dir.resolve("state"))).as("no temporary file left").hasSize(1);
    }

    @Test
    void shouldStartEmptyWithoutAFileAndSkipLinesThatDoNotParse() throws Exception {
        Path path = dir.resolve("kill-switch.state");
        assertThat(new HighWaterFile(path).load()).isEmpty();

        Files.writeString(path, "# header\ntask%3At1 12 1764000000000 c2ln\ngarbage\ntask%3At2 x 1 c2ln\n"
                + "task%3At3 12 1764000000000 c2ln NOT_AN_ACTION ~ r ~ i k a\n");

        assertThat(new HighWaterFile(path).load()).containsOnlyKeys("task:t1");
    }
}
