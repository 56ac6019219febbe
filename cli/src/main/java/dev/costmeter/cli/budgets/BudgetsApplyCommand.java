package dev.costmeter.cli.budgets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import dev.costmeter.contracts.BudgetPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code costctl budgets apply <file>}: validates the whole budget file, then publishes one
 * {@code BudgetPolicy} per scope whose policy changed. Re-applying the same file publishes nothing.
 * Scopes on the topic but not in the file are left alone (delete them with {@code budgets delete}).
 */
@Command(name = "apply",
        mixinStandardHelpOptions = true,
        description = {
            "Validate a budget file (YAML) and publish every new or changed policy to the budgets topic.",
            "Policies already on the topic and not in the file are kept; re-applying a file is a no-op.",
            "Format: alerting-stream/src/main/resources/budgets.example.yaml (see cli/README.md)."})
public final class BudgetsApplyCommand implements Callable<Integer> {

    /** What applying does to one scope. */
    enum Change {
        ADDED, UPDATED, UNCHANGED
    }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<file>", description = "The budget file, e.g. alerting-stream/src/main/resources/budgets.example.yaml.")
    Path file;

    @Option(names = "--dry-run", description = "Validate and show what would change, publish nothing.")
    boolean dryRun;

    @Option(names = "--operator", paramLabel = "<name>", description = "Recorded as updated_by operator:<name> (default: $USER).")
    String operator;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        String updatedBy = "operator:" + costctl.operatorName(operator, spec);
        List<BudgetPolicy> policies = parse(file, costctl, updatedBy);
        CompactedTopic<BudgetPolicy> topic = BudgetsTopic.of(costctl);
        Map<String, BudgetPolicy> current = topic.latest();
        List<Map.Entry<String, BudgetPolicy>> changed = new ArrayList<>();
        Table table = new Table().column("SCOPE", Align.LEFT).column("ACTION", Align.LEFT);
        ArrayNode rows = Json.mapper().createArrayNode();
        int[] counts = new int[Change.values().length];
        for (BudgetPolicy policy : policies) {
            Change change = change(current.get(policy.getScope()), policy);
            counts[change.ordinal()]++;
            if (change != Change.UNCHANGED) {
                changed.add(new AbstractMap.SimpleImmutableEntry<>(policy.getScope(), policy));
            }
            table.row(policy.getScope(), change.name().toLowerCase(java.util.Locale.ROOT));
            rows.addObject().put("scope", policy.getScope()).put("change", change.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!dryRun) {
            topic.publish(changed);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            ObjectNode json = Json.object().put("topic", topic.name()).put("published", dryRun ? 0 : changed.size());
            json.set("policies", rows);
            out.print(Json.pretty(json));
        } else {
            out.print(table.render());
            out.println(counts[Change.ADDED.ordinal()] + " added, " + counts[Change.UPDATED.ordinal()] + " updated, "
                    + counts[Change.UNCHANGED.ordinal()] + " unchanged; "
                    + (dryRun ? "dry run, would publish " : "published ") + changed.size() + " record(s) to " + topic.name());
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Compares what governs spend; who wrote a policy and when does not make it a different policy. */
    static Change change(BudgetPolicy existing, BudgetPolicy wanted) {
        if (existing == null) {
            return Change.ADDED;
        }
        BudgetPolicy comparable = BudgetPolicy.newBuilder(existing)
                .setUpdatedAt(wanted.getUpdatedAt()).setUpdatedBy(wanted.getUpdatedBy()).build();
        return comparable.equals(wanted) ? Change.UNCHANGED : Change.UPDATED;
    }

    private static List<BudgetPolicy> parse(Path file, Costctl costctl, String updatedBy) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw CostctlException.failed("cannot read budget file " + file + ": no such file");
        } catch (IOException e) {
            throw CostctlException.failed("cannot read budget file " + file + ": " + e.getMessage(), e);
        }
        try {
            return new BudgetFileParser().parse(text, costctl.clock().instant(), updatedBy);
        } catch (BudgetFileException e) {
            int n = e.errors().size();
            throw CostctlException.failed("budget file " + file + " is invalid (" + n + (n == 1 ? " problem" : " problems")
                    + "); nothing was published:", e.errors());
        }
    }
}
