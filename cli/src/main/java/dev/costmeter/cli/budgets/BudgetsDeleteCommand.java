package dev.costmeter.cli.budgets;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.ExitCodes;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.Output;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.cli.scope.Scopes;
import dev.costmeter.contracts.BudgetPolicy;
import java.io.PrintWriter;
import java.util.AbstractMap;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code costctl budgets delete <scope>}: a tombstone for the scope, so alerting-stream stops enforcing it. */
@Command(name = "delete",
        mixinStandardHelpOptions = true,
        description = "Remove the budget policy of one scope (publishes a tombstone; compaction then drops the policy).")
public final class BudgetsDeleteCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "<scope>", description = "e.g. tenant:acme")
    String scope;

    @Override
    public Integer call() {
        Scopes.budgetProblem(scope).ifPresent(problem -> {
            throw new CommandLine.ParameterException(spec.commandLine(), problem);
        });
        Costctl costctl = Costctl.root(spec);
        CompactedTopic<BudgetPolicy> topic = BudgetsTopic.of(costctl);
        if (!topic.latest().containsKey(scope)) {
            throw CostctlException.failed("no budget policy for " + scope + " on topic " + topic.name() + "; nothing was published");
        }
        topic.publish(List.of(new AbstractMap.SimpleImmutableEntry<>(scope, (BudgetPolicy) null)));
        PrintWriter out = spec.commandLine().getOut();
        if (costctl.output() == Output.JSON) {
            out.print(Json.pretty(Json.object().put("topic", topic.name()).put("deleted", scope)));
        } else {
            out.println("Deleted the budget policy of " + scope + " (tombstone on " + topic.name() + ")");
        }
        out.flush();
        return ExitCodes.OK;
    }
}
