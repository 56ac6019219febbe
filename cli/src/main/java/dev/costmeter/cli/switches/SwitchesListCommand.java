package dev.costmeter.cli.switches;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.VerifyKeys;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl switches list}: what a verifying service enforces, and why other records are not in force. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Show the kill switches services enforce: the control topic read to its end and every record judged",
            "exactly as the services' client judges it (signature by a key in --verify-keys, else env",
            "COSTMETER_CONTROL_VERIFY_KEYS; newer than the scope's newest verified command; a tombstone never",
            "lifts). LATEST_RECORD says what compaction would leave for the scope, and why it is not in force",
            "when it is not."})
public final class SwitchesListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--all", description = "Every scope with a record on the topic, lifted, expired and never verified ones too.")
    boolean all;

    @Option(names = "--records", description = "Also every record in the order read, with its verdict and why.")
    boolean records;

    @Option(names = "--verify-keys", paramLabel = "<id:base64,...>",
            description = "The public keys services trust (default: env COSTMETER_CONTROL_VERIFY_KEYS).")
    String verifyKeys;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        VerifyKeys keys = OperatorKeys.forVerifying(verifyKeys, costctl, spec);
        String topic = costctl.controlTopic();
        Instant now = costctl.clock().instant();
        VerifiedSwitches board = VerifiedSwitches.of(ControlRecords.read(costctl.connection(), topic), new CommandJudge(keys),
                now.toEpochMilli());
        Collection<VerifiedSwitches.Scope> shown = all ? new ArrayList<>(board.scopes()) : board.inForce();
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(SwitchViews.json(topic, now, keys.ids(), shown, board, records)));
        } else {
            if (shown.isEmpty()) {
                out.println("No switches " + (all ? "on topic " : "in force on topic ") + topic + " at " + now);
            } else {
                out.print(SwitchViews.table(shown));
            }
            if (records && !board.verdicts().isEmpty()) {
                out.println();
                out.print(SwitchViews.records(board.verdicts()));
            }
            String refused = SwitchViews.refusedSummary(topic, board.refused());
            if (refused != null) {
                out.println(refused);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

}
