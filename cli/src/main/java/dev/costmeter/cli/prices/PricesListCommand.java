package dev.costmeter.cli.prices;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code costctl prices list [--at <instant>]}: the price of every model in force at an instant. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Show, for every model on the prices topic, the version in force at --at (default: now).",
            "Table rates are dollars per million tokens; --output json gives integer nano-USD per million tokens.",
            "LONG_CONTEXT reads >threshold: input/output/cache read/cache write."})
public final class PricesListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--at", paramLabel = "<instant>", description = "ISO-8601 instant, e.g. 2026-11-27T10:00:00Z (default: now).")
    Instant at;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        Instant when = at != null ? at : costctl.clock().instant();
        Map<String, PriceHistory> histories = new PricesTopic(costctl.kafka()).readAll();
        List<PriceViews.InForce> rows = PriceViews.inForce(histories, when);
        List<String> pending = PriceViews.notInForce(histories, when);
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(PriceViews.listJson(when, rows, pending)));
        } else if (histories.isEmpty()) {
            out.println("No prices on topic " + costctl.kafka().pricesTopic() + "; publish some with: costctl prices apply <file>");
        } else {
            out.print(PriceViews.listTable(rows));
            if (!pending.isEmpty()) {
                out.println(pending.size() + " model(s) have no price in force at " + when + " (all versions later): "
                        + String.join(", ", pending));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
