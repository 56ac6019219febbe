package dev.costmeter.cli.switches;

import dev.costmeter.contracts.SwitchAction;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code costctl switches degrade <scope> --model X --reason "..."}: services send calls to a cheaper model. */
@Command(name = "degrade",
        mixinStandardHelpOptions = true,
        description = "Send every call in a scope to a cheaper model: publish a signed DEGRADE command.")
public final class SwitchesDegradeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<scope>", description = "e.g. route:premium-chat")
    String scope;

    @Option(names = "--model", required = true, paramLabel = "<model>", description = "The fallback model, e.g. gpt-4o-mini.")
    String model;

    @Option(names = "--for", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "How long it applies: 90s, 15m, 1h, 2d or PT1H30M (default: until replaced).")
    Duration lifetime;

    @Mixin
    IssueOptions options;

    @Override
    public Integer call() {
        if (model.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--model must name the fallback model");
        }
        return SwitchesCommand.publish(spec, scope, SwitchAction.DEGRADE, model.strip(), lifetime, options);
    }
}
