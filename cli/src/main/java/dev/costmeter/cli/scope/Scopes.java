package dev.costmeter.cli.scope;

import java.util.List;
import java.util.Optional;

/**
 * The scope syntax budgets and switches are keyed by. A budget can govern {@code tenant:<id>},
 * {@code route:<name>}, {@code prompt:<route>@<version>}, {@code task_class:<name>},
 * {@code end_user:<tenant>/<user>} or {@code task_default:<task_class>}; a switch can name
 * {@code tenant:}, {@code route:}, {@code prompt:}, {@code task:<id>} or {@code end_user:} (services
 * check switches against what a call carries, and a call does not carry a task class's policy).
 */
public final class Scopes {

    /** The scopes a budget policy may govern, as the help and errors spell them. */
    public static final List<String> BUDGET_FORMS = List.of("tenant:<id>", "route:<name>", "prompt:<route>@<version>",
            "task_class:<name>", "end_user:<tenant>/<user>", "task_default:<task_class>");
    /** The scopes a kill switch may name. */
    public static final List<String> SWITCH_FORMS = List.of("tenant:<id>", "route:<name>", "prompt:<route>@<version>",
            "task:<id>", "end_user:<tenant>/<user>");

    private Scopes() {
    }

    /** Why {@code scope} cannot key a budget policy, or empty when it can. */
    public static Optional<String> budgetProblem(String scope) {
        return problem(scope, BUDGET_FORMS, "a budget scope");
    }

    /** Why {@code scope} cannot key a kill switch, or empty when it can. */
    public static Optional<String> switchProblem(String scope) {
        return problem(scope, SWITCH_FORMS, "a switch scope");
    }

    private static Optional<String> problem(String scope, List<String> forms, String what) {
        String expected = "\"" + scope + "\" is not " + what + "; expected one of " + String.join(", ", forms);
        int colon = scope.indexOf(':');
        if (colon <= 0) {
            return Optional.of(expected);
        }
        String kind = scope.substring(0, colon + 1);
        String value = scope.substring(colon + 1);
        String form = forms.stream().filter(f -> f.startsWith(kind)).findFirst().orElse(null);
        if (form == null) {
            return Optional.of(expected);
        }
        if (value.isEmpty() || !value.strip().equals(value)) {
            return Optional.of("\"" + scope + "\": the part after '" + kind + "' must be non-empty, without leading or trailing spaces");
        }
        if (value.chars().anyMatch(c -> c == '|' || Character.isISOControl(c))) {
            return Optional.of("\"" + scope + "\": must not contain '|' or control characters");
        }
        return switch (kind) {
            case "prompt:" -> twoParts(scope, value, value.lastIndexOf('@'), form);
            case "end_user:" -> twoParts(scope, value, value.indexOf('/'), form);
            default -> Optional.empty();
        };
    }

    private static Optional<String> twoParts(String scope, String value, int separator, String form) {
        if (separator <= 0 || separator == value.length() - 1) {
            return Optional.of("\"" + scope + "\" must be written " + form);
        }
        return Optional.empty();
    }
}
