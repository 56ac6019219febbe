package dev.costmeter.cli.prices;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.correct.CorrectionPlan;
import dev.costmeter.cli.correct.CorrectionPlanner;
import dev.costmeter.cli.money.Money;
import dev.costmeter.contracts.LedgerCorrection;
import dev.costmeter.schemas.topics.TopicNames;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code costctl prices correct}: reprices one model's ledgered calls over a period with the price in
 * force at each call's time, and asks metering to apply the differences as corrections.
 */
@Command(name = "correct",
        mixinStandardHelpOptions = true,
        description = {
            "Reprice the ledgered calls of one model between --from (inclusive) and --to (exclusive) with the",
            "price in force at each call's time (the prices topic), and publish one correction per call whose",
            "cost changed, unpriced calls included, to the correction requests topic. metering applies each",
            "correction once (its id is event_id@price_version), to task totals, the task-class table and",
            "rollups, and the ledger sink stores it beside the ledger: ledger records never change.",
            "Reads the whole ledger topic (committed records only). --dry-run prints the summary and publishes nothing."})
public final class PricesCorrectCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--provider", required = true, paramLabel = "<provider>", description = "The model's provider, e.g. anthropic.")
    String provider;

    @Option(names = "--model", required = true, paramLabel = "<model>", description = "The provider's model id.")
    String model;

    @Option(names = "--from", required = true, paramLabel = "<instant>", description = "Start of the period (inclusive), ISO-8601.")
    Instant from;

    @Option(names = "--to", required = true, paramLabel = "<instant>", description = "End of the period (exclusive), ISO-8601.")
    Instant to;

    @Option(names = "--reason", paramLabel = "<text>", defaultValue = "repriced with costctl prices correct",
            description = "Why, kept with every correction (default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = "--dry-run", description = "Print what would be corrected; publish nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (!from.isBefore(to)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--from " + from + " must be before --to " + to);
        }
        if (provider.isBlank() || model.isBlank()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--provider and --model must not be blank");
        }
        Costctl costctl = Costctl.root(spec);
        TopicNames topics = TopicNames.from(topicKeys(costctl));
        CorrectionPlanner planner = new CorrectionPlanner(costctl.connection(), topics);
        CorrectionPlan plan = planner.plan(provider, model, from, to, "operator: " + reason, costctl.clock().instant());
        if (!dryRun) {
            planner.publish(plan);
        }
        print(plan, topics, spec.commandLine().getOut(), costctl.output());
        return ExitCodes.OK;
    }

    /** The topic keys of costctl's configuration, prices included (its --topic-prices flag). */
    private static Map<String, String> topicKeys(Costctl costctl) {
        Map<String, String> keys = new LinkedHashMap<>(costctl.settings().values());
        keys.put(TopicNames.Logical.PRICES.configKey(), costctl.kafka().pricesTopic());
        return keys;
    }

    private void print(CorrectionPlan plan, TopicNames topics, PrintWriter out, Output output) {
        if (output == Output.JSON) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("model", provider + "/" + model);
            json.put("from", from.toString());
            json.put("to", to.toString());
            json.put("calls", plan.calls());
            json.put("corrections", plan.corrections().size());
            json.put("old_total_nanos", plan.oldTotal());
            json.put("new_total_nanos", plan.newTotal());
            json.put("difference_nanos", plan.difference());
            json.put("published", !dryRun);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (LedgerCorrection c : plan.corrections()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("correction_id", c.getCorrectionId());
                row.put("event_id", c.getEventId());
                row.put("task_id", c.getTaskId());
                row.put("old_cost_nanos", c.getOldCostNanos());
                row.put("new_cost_nanos", c.getNewCostNanos());
                row.put("cost_delta_nanos", c.getCostDeltaNanos());
                row.put("old_price_version", c.getOldPriceVersion());
                row.put("new_price_version", c.getNewPriceVersion());
                rows.add(row);
            }
            json.put("correction_records", rows);
            out.print(Json.pretty(Json.mapper().valueToTree(json)));
        } else {
            out.println(provider + "/" + model + " from " + from + " to " + to + ": " + plan.calls() + " call(s), "
                    + plan.corrections().size() + " to correct");
            out.println("  old total   " + Money.format(plan.oldTotal()));
            out.println("  new total   " + Money.format(plan.newTotal()));
            out.println("  difference  " + Money.format(plan.difference()));
            out.println(dryRun ? "Dry run: nothing published."
                    : "Published " + plan.corrections().size() + " correction(s) to " + topics.priceCorrections() + ".");
        }
        out.flush();
    }
}
