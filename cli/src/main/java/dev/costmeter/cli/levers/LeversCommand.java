package dev.costmeter.cli.levers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.metering.SpendCommand.Dimension;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl levers}: what each cost lever saved one scope, and what was wasted. */
@Command(name = "levers",
        mixinStandardHelpOptions = true,
        description = {
            "Show what each cost lever saved one scope (prompt cache, batch, response cache; signed: a lever that lost"
                    + " money is negative and named) and the waste by category, from metering-stream's /v1/levers.",
            "Exact: every figure is summed in integer nano-USD and shown in dollars rounded half-up to 6 decimals;"
                    + " --output json gives the nanos."})
public final class LeversCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--dimension", required = true, paramLabel = "tenant|route|model|task_class|prompt_version",
            description = "What the scope is.")
    Dimension dimension;

    @Option(names = "--scope", required = true, paramLabel = "<scope>",
            description = "Which one, e.g. acme for a tenant or openai/gpt-4o for a model.")
    String scope;

    @Option(names = "--from", paramLabel = "<instant>",
            description = "Start, ISO-8601 (e.g. 2026-11-01T00:00:00Z); days starting at or after it (default: 7 days before --to).")
    Instant from;

    @Option(names = "--to", paramLabel = "<instant>", description = "End (exclusive), ISO-8601 (default: now).")
    Instant to;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        JsonNode answer = costctl.meteringClient().levers(dimension.name().toLowerCase(Locale.ROOT), scope, from, to, "day");
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(answer) : LeverViews.table(answer));
        out.flush();
        return ExitCodes.OK;
    }
}
