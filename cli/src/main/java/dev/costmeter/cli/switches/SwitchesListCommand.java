package dev.costmeter.cli.switches;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.schemas.control.KeyRing;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl switches list}: the switches in force, with whether their signatures verify. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Show the kill switches in force (the latest command per scope that is not ALLOW and not expired),",
            "and whether each signature verifies against the key ring (--keys, else env COSTMETER_CONTROL_KEYS;",
            "'unchecked' without one). Services ignore a command whose signature does not verify."})
public final class SwitchesListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "Also show lifted (ALLOW) and expired switches.")
    boolean all;

    @Option(names = "--keys", paramLabel = "<id:base64secret,...>",
            description = "Key ring to verify with (default: env COSTMETER_CONTROL_KEYS).")
    String keys;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        KeyRing ring = OperatorKeys.forVerifying(keys, costctl, spec);
        CompactedTopic<ControlCommand> topic = SwitchesCommand.topic(costctl);
        SwitchBoard board = SwitchBoard.of(topic.readAll());
        Instant now = costctl.clock().instant();
        Collection<ControlCommand> shown = all ? new ArrayList<>(board.latest().values()) : board.inForce(now);
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(SwitchViews.json(topic.name(), shown, ring, now)));
        } else if (shown.isEmpty()) {
            out.println("No switches " + (all ? "on topic " : "in force on topic ") + topic.name() + " at " + now);
        } else {
            out.print(SwitchViews.table(shown, ring, now));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
