package dev.costmeter.cli.prices;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.catalog.Catalog;
import dev.costmeter.cli.catalog.CatalogException;
import dev.costmeter.cli.catalog.CatalogParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code costctl prices apply <file>}: validates the whole catalog, then publishes one record per
 * model whose history changes. Applying the same catalog again publishes nothing.
 */
@Command(name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Validate a price catalog (YAML) and publish every new or changed price to the prices topic.",
            "A model's record keeps all its earlier versions in 'superseded'; re-applying a catalog is a no-op."})
public final class PricesApplyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "The catalog, e.g. examples/catalog.yaml.")
    Path file;

    @Option(names = "--dry-run", description = "Validate and show what would change, publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        Catalog catalog = parse(file);
        PricesTopic topic = new PricesTopic(costctl.kafka());
        Map<String, PriceHistory> current = topic.readAll();
        ApplyPlan plan = ApplyPlan.of(current, catalog);
        if (!dryRun) {
            topic.publish(plan.records());
        }
        PrintWriter out = spec.commandLine().getOut();
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

    /** Reads and validates the catalog at {@code file}, or fails naming every problem. */
    static Catalog parse(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CostctlException.failed("cannot read catalog " + file + ": no such file");
        } catch (IOException e) {
            throw CostctlException.failed("cannot read catalog " + file + ": " + e.getMessage(), e);
        }
        try {
            return new CatalogParser().parse(text);
        } catch (CatalogException e) {
            int n = e.errors().size();
            throw CostctlException.failed("catalog " + file + " is invalid (" + n + (n == 1 ? " problem" : " problems")
                    + "); nothing was published:", e.errors());
        }
    }
}
