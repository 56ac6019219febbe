package dev.costmeter.cli.prices;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.catalog.Catalog;
import dev.costmeter.cli.catalog.CatalogException;
import dev.costmeter.cli.catalog.CatalogParser;
import dev.costmeter.cli.catalog.CatalogWriter;
import dev.costmeter.cli.catalog.GenaiPrices;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code costctl prices import --format genai-prices FILE}: converts a price dataset exactly into
 * price records with their source and date, then writes them as a catalog ({@code --catalog-out})
 * or publishes them as {@code prices apply} does.
 */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = {
            "Convert a price dataset (pydantic genai-prices v2 JSON) exactly into prices with their source and date,",
            "and write them as a catalog (--catalog-out) or publish them to the prices topic."})
public final class PricesImportCommand implements Callable<Integer> {

    /** The formats this command reads. */
    public static final List<String> FORMATS = List.of("genai-prices");

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "The dataset file, e.g. examples/datasets/genai-prices/data.json.")
    Path file;

    @Option(names = "--format", required = true, paramLabel = "<format>", description = "genai-prices")
    String format;

    @Option(names = "--source-date", required = true, paramLabel = "<YYYY-MM-DD>",
            description = "The date the dataset snapshot was taken; the catalog's as_of and each price's source_date.")
    LocalDate sourceDate;

    @Option(names = "--source", paramLabel = "<text>",
            defaultValue = "https://github.com/pydantic/genai-prices prices/new_data/v2/data.json (MIT)",
            description = "Where the dataset came from, written into every price's source (default: ${DEFAULT-VALUE}).")
    String source;

    @Option(names = "--models", paramLabel = "<file>",
            description = "Import only these models: one provider/model a line, as usage events name them ('#' comments).")
    Path models;

    @Option(names = "--catalog-out", paramLabel = "<file>",
            description = "Write the prices as a catalog file (for prices apply) instead of publishing them.")
    Path catalogOut;

    @Option(names = "--batch-percent", paramLabel = "<provider>=<percent>",
            description = "Batch input and output rates of a provider's models as this percentage of the standard"
                    + " rates (the dataset has none), e.g. openai=50; its long-context tiers then scale through batch.")
    Map<String, Integer> batchPercent = new java.util.TreeMap<>();

    @Option(names = "--dry-run", description = "Convert and show what would change, publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (!FORMATS.contains(format)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format must be one of " + FORMATS + ", not '" + format + "'");
        }
        Catalog catalog = convert();
        PrintWriter out = spec.commandLine().getOut();
        if (catalogOut != null) {
            writeCatalog(catalog);
            out.println("Wrote " + catalog.entries().size() + " prices from " + file + " to " + catalogOut + ".");
            out.flush();
            return ExitCodes.OK;
        }
        Costctl costctl = Costctl.root(spec);
        PricesTopic topic = new PricesTopic(costctl.kafka());
        Map<String, PriceHistory> current = topic.readAll();
        ApplyPlan plan = ApplyPlan.of(current, catalog);
        if (!dryRun) {
            topic.publish(plan.records());
        }
        String topicName = costctl.kafka().pricesTopic();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(PriceViews.applyJson(plan, topicName, !dryRun)));
        } else {
            out.print(PriceViews.applyTable(plan));
            out.println(PriceViews.applySummary(plan, topicName, !dryRun));
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** The dataset converted and checked as a catalog would be (the same rules as prices apply). */
    Catalog convert() {
        String json = read(file, "dataset");
        List<GenaiPrices.Selection> selection = new ArrayList<>();
        if (models != null) {
            for (String line : read(models, "model list").split("\n")) {
                String text = line.strip();
                if (!text.isEmpty() && !text.startsWith("#")) {
                    try {
                        selection.add(GenaiPrices.Selection.parse(text));
                    } catch (IllegalArgumentException e) {
                        throw CostctlException.failed("model list " + models + ": " + e.getMessage());
                    }
                }
            }
        }
        try {
            Catalog converted = new GenaiPrices(source, sourceDate, batchPercent).convert(json, selection);
            // Through the catalog format and back: the prices publish exactly as prices apply would publish the file.
            return new CatalogParser().parse(CatalogWriter.write(converted, List.of()));
        } catch (CatalogException e) {
            int n = e.errors().size();
            throw CostctlException.failed("dataset " + file + " cannot be converted exactly (" + n
                    + (n == 1 ? " problem" : " problems") + "); nothing was written or published:", e.errors());
        }
    }

    private void writeCatalog(Catalog catalog) {
        List<String> header = List.of(
                "costmeter price catalog, GENERATED from a dated snapshot of pydantic's genai-prices (MIT);",
                "do not edit by hand. Source, license and attribution: examples/datasets/genai-prices/README.md.",
                "",
                "Regenerate with:",
                "  cli/costctl prices import --format " + format + " " + file + " --source-date " + sourceDate
                        + (models == null ? "" : " --models " + models) + batchOptions() + " --catalog-out " + catalogOut,
                "Apply with:   cli/costctl prices apply " + catalogOut,
                "",
                "Rates are exact decimal strings of USD per million tokens (fees: USD per request). A price the",
                "dataset gives without a start date is effective from 1970-01-01T00:00:00Z; a dated one from its",
                "start date. The dataset has no batch or service-tier rates: batch rates are the --batch-percent of",
                "input and output the command names (the providers' published Batch API discount), said in each",
                "entry's source; no service-tier (flex, priority) rates.",
                "Format: cli/README.md.");
        try {
            Files.writeString(catalogOut, CatalogWriter.write(catalog, header));
        } catch (IOException e) {
            throw CostctlException.failed("cannot write catalog " + catalogOut + ": " + e.getMessage(), e);
        }
    }

    private String batchOptions() {
        StringBuilder options = new StringBuilder();
        batchPercent.forEach((provider, percent) -> options.append(" --batch-percent ").append(provider).append('=').append(percent));
        return options.toString();
    }

    private static String read(Path path, String what) {
        try {
            return Files.readString(path);
        } catch (NoSuchFileException e) {
            throw CostctlException.failed("cannot read " + what + " " + path + ": no such file");
        } catch (IOException e) {
            throw CostctlException.failed("cannot read " + what + " " + path + ": " + e.getMessage(), e);
        }
    }
}
