package dev.costmeter.cli.budgets;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code costctl budgets}: budget policies on the compacted budgets topic, read by alerting-stream. */
@Command(name = "budgets",
        mixinStandardHelpOptions = true,
        subcommands = {BudgetsApplyCommand.class, BudgetsListCommand.class, BudgetsDeleteCommand.class},
        description = "Publish, show and delete budget policies (the compacted budgets topic, keyed by scope).")
public final class BudgetsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand: apply, list or delete");
    }
}
