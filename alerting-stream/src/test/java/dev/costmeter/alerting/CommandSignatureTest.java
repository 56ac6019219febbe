package dev.costmeter.alerting;

import static dev.costmeter.alerting.AlertingDriver.T0;
import static dev.costmeter.alerting.AlertingDriver.call;
import static org.assertj.core.api.Assertions.assertThat;

import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.CommandSigner;
import dev.costmeter.schemas.control.ControlKeyPair;
import dev.costmeter.schemas.control.HighWater;
import dev.costmeter.schemas.control.Judgement;
import dev.costmeter.schemas.control.Refusal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** alerting's commands as a service judges them: signed with alerting's Ed25519 key, in sequence. */
class CommandSignatureTest {

    @TempDir
    Path stateDir;

    private final CommandJudge judge = new CommandJudge(AlertingDriver.KEYS.verifyKeys());

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
    void shouldSignEveryCommandWithEd25519SoThatServicesApplyThemInOrder() throws Exception {
        List<ControlCommand> commands = blockThenAllow();

        assertThat(commands).extracting(ControlCommand::getAction).containsExactly(SwitchAction.BLOCK, SwitchAction.ALLOW);
        HighWater water = null;
        for (ControlCommand c : commands) {
            assertThat(c.getKeyId()).isEqualTo("test-alerting");
            assertThat(c.getAlgorithm()).isEqualTo("Ed25519");
            Judgement j = judge.judge(c.getScope(), c, water, T0.toEpochMilli());
            assertThat(j.kind()).as(j.detail()).isEqualTo(Judgement.Kind.APPLIED);
            water = j.next();
        }
    }

    @Test
    void shouldTellForgedAndReplayedCommandsApart() throws Exception {
        List<ControlCommand> commands = blockThenAllow();
        ControlCommand block = commands.get(0);
        ControlCommand allow = commands.get(1);
        long now = T0.toEpochMilli();

        ControlCommand altered = ControlCommand.newBuilder(allow).setScope("tenant:acme").build();
        assertThat(judge.judge("tenant:acme", altered, null, now).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
        ControlCommand sameIdOtherKey = CommandSigner.sign(allow, ControlKeyPair.generate("test-alerting").signingKey());
        assertThat(judge.judge(allow.getScope(), sameIdOtherKey, null, now).refusal()).isEqualTo(Refusal.BAD_SIGNATURE);
        ControlCommand unknown = CommandSigner.sign(allow, ControlKeyPair.generate("someone-else").signingKey());
        assertThat(judge.judge(allow.getScope(), unknown, null, now).refusal()).isEqualTo(Refusal.UNKNOWN_KEY);

        HighWater afterAllow = judge.judge(allow.getScope(), allow, judge.judge(block.getScope(), block, null, now).next(), now).next();
        assertThat(judge.judge(block.getScope(), block, afterAllow, now).refusal()).as("the old BLOCK replayed after the ALLOW")
                .isEqualTo(Refusal.REPLAYED);
    }
}
