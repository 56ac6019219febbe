package dev.costmeter.cli.switches;

import dev.costmeter.contracts.SwitchAction;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code costctl switches block <scope> [--for 1h] --reason "..."}: services refuse calls in the scope. */
@Command(name = "block",
        mixinStandardHelpOptions = true,
        description = "Block every call in a scope: publish a signed BLOCK command (until --for elapses or it is replaced).")
public final class SwitchesBlockCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<scope>", description = "e.g. route:chat, tenant:acme, task:t-123")
    String scope;

    @Option(names = "--for", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long it applies: 90s, 15m, 1h, 2d or PT1H30M (default: until replaced).")
    Duration lifetime;

    @Mixin
    IssueOptions options;

    @Override
    public Integer call() {
        return SwitchesCommand.publish(spec, scope, SwitchAction.BLOCK, null, lifetime, options);
    }
}
