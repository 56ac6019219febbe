package dev.costmeter.cli.budgets;

import dev.costmeter.cli.Costctl;
import dev.costmeter.cli.kafka.CompactedTopic;
import dev.costmeter.contracts.BudgetPolicy;

/** The budgets topic named by the global options. */
final class BudgetsTopic {

    private BudgetsTopic() {
    }

    static CompactedTopic<BudgetPolicy> of(Costctl costctl) {
        return new CompactedTopic<>(costctl.connection(), costctl.budgetsTopic(), BudgetPolicy.class);
    }
}
