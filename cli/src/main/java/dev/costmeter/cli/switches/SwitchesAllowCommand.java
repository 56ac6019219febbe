package dev.costmeter.cli.switches;

import dev.costmeter.contracts.SwitchAction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code costctl switches allow <scope> --reason "..."}: lifts a block or degrade. */
@Command(name = "allow",
        mixinStandardHelpOptions = true,
        description = "Lift the switch of a scope: publish a signed ALLOW command.")
public final class SwitchesAllowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<scope>", description = "e.g. route:chat")
    String scope;

    @Mixin
    IssueOptions options;

    @Override
    public Integer call() {
        return SwitchesCommand.publish(spec, scope, SwitchAction.ALLOW, null, null, options);
    }
}
