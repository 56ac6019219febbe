package dev.costmeter.cli.budgets;

import java.util.List;

/** A budget file that cannot be applied, with every problem found, each naming the policy and field. */
public final class BudgetFileException extends Exception {

    private final List<String> errors;

    public BudgetFileException(List<String> errors) {
        super(String.join("; ", errors));
        this.errors = List.copyOf(errors);
    }

    /** One line per problem, e.g. {@code policies[2].limits[0]: missing required field 'limit_usd'}. */
    public List<String> errors() {
        return errors;
    }
}
