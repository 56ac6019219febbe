package dev.costmeter.cli.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl spend}: cost and usage of one scope over time, from metering-stream. */
@Command(name = "spend",
        mixinStandardHelpOptions = true,
        description = "Show cost and usage of one scope (a tenant, route, model, task class or prompt version) per window.")
public final class SpendCommand implements Callable<Integer> {

    /** What spend is grouped by. */
    public enum Dimension {
        TENANT, ROUTE, MODEL, TASK_CLASS, PROMPT_VERSION
    }

    /** Window size. */
    public enum Granularity {
        MINUTE, HOUR, DAY
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--dimension", required = true, paramLabel = "tenant|route|model|task_class|prompt_version",
            description = "What to group by.")
    Dimension dimension;

    @Option(names = "--scope", required = true, paramLabel = "<scope>",
            description = "Which one, e.g. acme for a tenant or openai/gpt-4o for a model.")
    String scope;

    @Option(names = "--from", paramLabel = "<instant>", description = "Start, ISO-8601 (e.g. 2026-11-27T00:00:00Z).")
    Instant from;

    @Option(names = "--to", paramLabel = "<instant>", description = "End (exclusive), ISO-8601.")
    Instant to;

    @Option(names = "--granularity", paramLabel = "minute|hour|day", description = "Window size.")
    Granularity granularity;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        JsonNode answer = costctl.meteringClient().spend(lower(dimension), scope, from, to,
                granularity == null ? null : lower(granularity));
        PrintWriter out = spec.commandLine().getOut();
        out.print(costctl.output() == Output.JSON ? Json.pretty(answer) : MeteringViews.spend(answer));
        out.flush();
        return ExitCodes.OK;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
