package dev.costmeter.cli.switches;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.cli.scope.Scopes;
import dev.costmeter.contracts.ControlCommand;
import dev.costmeter.contracts.SwitchAction;
import dev.costmeter.schemas.control.CommandJudge;
import dev.costmeter.schemas.control.SigningKey;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code costctl switches}: the kill switches on the compacted control topic. */
@Command(name = "switches",
        mixinStandardHelpOptions = true,
        subcommands = {SwitchesListCommand.class, SwitchesBlockCommand.class, SwitchesAllowCommand.class,
            SwitchesDegradeCommand.class},
        description = {
            "Show and flip kill switches (the compacted control topic, keyed by scope).",
            "Scopes: tenant:<id>, route:<name>, prompt:<route>@<version>, task:<id>, end_user:<tenant>/<user>."})
public final class SwitchesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: list, block, allow or degrade");
    }

    static CompactedTopic<ControlCommand> topic(Costctl costctl) {
        return new CompactedTopic<>(costctl.connection(), costctl.controlTopic(), ControlCommand.class);
    }

    /** Validates, signs and publishes one command, then prints it; shared by block, allow and degrade. */
    static int publish(CommandSpec spec, String scope, SwitchAction action, String model, Duration lifetime, IssueOptions options) {
        Scopes.switchProblem(scope).ifPresent(problem -> {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        });
        if (options.reason.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--reason must say why, not be blank");
        }
        Costctl costctl = Costctl.root(spec);
        String issuerName = "operator:" + costctl.operatorName(options.operator, spec);
        SigningKey key = OperatorKeys.forSigning(options.signingKey, costctl, spec);
        CommandJudge judge = new CommandJudge(OperatorKeys.forVerifying(options.verifyKeys, costctl, spec));
        SwitchIssuer issuer = new SwitchIssuer(topic(costctl), key, judge, costctl.clock());
        ControlCommand issued = issuer.issue(ControlRecords.read(costctl.connection(), costctl.controlTopic()), scope, action,
                model, options.reason.strip(), issuerName, lifetime);
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(SwitchViews.json(issued)));
        } else {
            out.print(SwitchViews.table(issued));
            out.println("Published " + action + " for " + scope + " with sequence " + issued.getSequence() + ", signed by key "
                    + issued.getKeyId() + ", to " + costctl.controlTopic());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
