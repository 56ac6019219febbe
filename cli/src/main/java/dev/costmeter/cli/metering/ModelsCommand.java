package dev.costmeter.cli.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl models --task-class X}: which model does a kind of work cheapest per success. */
@Command(name = "models",
        mixinStandardHelpOptions = true,
        description = {
            "Compare models on one kind of work (task class): cost per call, success rate, cost per successful task",
            "(all spend of the class over its successes) and waste (spend on tasks that did not succeed)."})
public final class ModelsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--task-class", required = true, paramLabel = "<task_class>", description = "e.g. support-answer")
    String taskClass;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD", description = "First UTC day (default: 29 days before --to).")
    LocalDate from;

    @Option(names = "--to", paramLabel = "YYYY-MM-DD", description = "Last UTC day, inclusive (default: today).")
    LocalDate to;

    @Override
    public Integer call() {
        if (taskClass.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--task-class must not be blank");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from " + from + " is after --to " + to);
        }
        Costctl costctl = Costctl.root(spec);
        JsonNode answer = costctl.meteringClient().taskClassModels(taskClass, from, to);
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(answer) : MeteringViews.taskClassModels(answer));
        out.flush();
        return ExitCodes.OK;
    }
}
