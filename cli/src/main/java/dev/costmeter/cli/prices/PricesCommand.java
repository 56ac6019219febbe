package dev.costmeter.cli.prices;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code costctl prices}: the model price catalog on the compacted prices topic. */
@Command(name = "prices",
        mixinStandardHelpOptions = true,
        subcommands = {PricesApplyCommand.class, PricesListCommand.class, PricesImportCommand.class, PricesCorrectCommand.class},
        description = "Publish and show model prices (the compacted prices topic).")
public final class PricesCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: apply, list, import or correct");
    }
}
