package dev.costmeter.cli.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl top-tasks}: the costliest tasks of a day, from metering-stream. */
@Command(name = "top-tasks",
        mixinStandardHelpOptions = true,
        description = "Show the costliest tasks of a UTC day, with their calls, retries, tools and models.")
public final class TopTasksCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--day", paramLabel = "YYYY-MM-DD", description = "The UTC day (default: today).")
    LocalDate day;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "How many tasks (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        Costctl costctl = Costctl.root(spec);
        LocalDate when = day != null ? day : LocalDate.ofInstant(costctl.clock().instant(), ZoneOffset.UTC);
        JsonNode answer = costctl.meteringClient().topTasks(when, limit);
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(answer) : MeteringViews.topTasks(answer));
        out.flush();
        return ExitCodes.OK;
    }
}
