package dev.costmeter.cli.budgets;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.BudgetPolicy;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code costctl budgets list}: every policy on the budgets topic, as compaction would leave it. */
@Command(name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "Show every budget policy on the budgets topic: caps per period in dollars, warning thresholds,",
            "action at 100%, degrade model and per-task ceiling. --output json gives amounts in integer nano-USD."})
public final class BudgetsListCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Costctl costctl = Costctl.root(spec);
        CompactedTopic<BudgetPolicy> topic = BudgetsTopic.of(costctl);
        Map<String, BudgetPolicy> policies = topic.latest();
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(BudgetViews.json(topic.name(), policies.values())));
        } else if (policies.isEmpty()) {
            out.println("No budget policies on topic " + topic.name() + "; publish some with: costctl budgets apply <file>");
        } else {
            out.print(BudgetViews.table(policies.values()));
        }
        out.flush();
        return ExitCodes.OK;
    }
}
