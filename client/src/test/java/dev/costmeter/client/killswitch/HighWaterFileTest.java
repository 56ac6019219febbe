package dev.costmeter.client.killswitch;

import static org.assertj.core.api.Assertions.assertThat;

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
    void shouldKeepEveryScopesHighWaterWithoutItsCommand() throws Exception {
        HighWaterFile file = new HighWaterFile(dir.resolve("state/kill-switch.hw"));
        Map<String, HighWater> waters = Map.of(
                "task:run 7/ü", HighWater.of(Commands.block("task:run 7/ü", 1_764_000_000_000_001L)),
                "prompt:chat@plan@v3", HighWater.of(Commands.allow("prompt:chat@plan@v3", 42)));

        file.save(waters);
        Map<String, HighWater> loaded = file.load();

        assertThat(loaded).hasSize(2);
        waters.forEach((scope, water) -> assertThat(loaded.get(scope)).isEqualTo(water.withoutCommand()));
        assertThat(Files.list(dir.resolve("state"))).as("no temporary file left").hasSize(1);
    }

    @Test
    void shouldStartEmptyWithoutAFileAndSkipLinesThatDoNotParse() throws Exception {
        Path path = dir.resolve("kill-switch.hw");
        assertThat(new HighWaterFile(path).load()).isEmpty();

        Files.writeString(path, "# header\ntask%3At1 12 1764000000000 c2ln\ngarbage\ntask%3At2 x 1 c2ln\n");

        assertThat(new HighWaterFile(path).load()).containsOnlyKeys("task:t1");
    }
}
