package dev.costmeter.cli.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl spend}: cost and usage of one scope over time, from metering-stream. */
@Command(name = "spend",
        mixinStandardHelpOptions = true,
        modelTransformer = SpendCommand.HelpWithUsedOptionsOnly.class,
        description = "Show cost and usage of one scope (a tenant, route, model, task class or prompt version) per window,"
                + " from metering-stream's query API.")
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

    // The defaults are metering-stream's: spend sends only what was given.
    @Option(names = "--from", paramLabel = "<instant>",
            description = "Start, ISO-8601 (e.g. 2026-11-27T00:00:00Z); windows starting at or after it (default: 24 hours before --to).")
    Instant from;

    @Option(names = "--to", paramLabel = "<instant>", description = "End (exclusive), ISO-8601 (default: now).")
    Instant to;

    @Option(names = "--granularity", paramLabel = "minute|hour|day", description = "Window size (default: hour).")
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

    /**
     * spend's help without the options costctl's other commands share with it but spend never reads
     * (it asks metering's HTTP API only, never Kafka or the registry): listing them would suggest
     * they change its answer. They are still accepted, as on every command.
     */
    static final class HelpWithUsedOptionsOnly implements IModelTransformer {

        static final Set<String> NOT_USED = Set.of("--bootstrap-servers", "--schema-registry-url", "--topic-prices",
                "--topic-budgets", "--topic-control");

        @Override
        public CommandSpec transform(CommandSpec spec) {
            // Rendered at help time, once the options inherited from costctl are in the spec.
            spec.usageMessage().sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_SYNOPSIS,
                    help -> withUsedOptionsOnly(help).synopsis(help.synopsisHeadingLength()));
            spec.usageMessage().sectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                    help -> withUsedOptionsOnly(help).optionList());
            return spec;
        }

        private static CommandLine.Help withUsedOptionsOnly(CommandLine.Help help) {
            CommandSpec full = help.commandSpec();
            CommandSpec used = CommandSpec.create().name(full.qualifiedName());
            used.usageMessage().width(full.usageMessage().width()).sortOptions(full.usageMessage().sortOptions());
            for (OptionSpec option : full.options()) {
                if (!NOT_USED.contains(option.longestName())) {
                    used.addOption(OptionSpec.builder(option).build());
                }
            }
            return new CommandLine.Help(used, help.colorScheme());
        }
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
