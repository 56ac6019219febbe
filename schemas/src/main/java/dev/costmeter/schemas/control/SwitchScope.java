package dev.costmeter.schemas.control;

import java.util.Optional;

/**
 * A kill-switch scope split into its kind and the one or two ids a call is matched on:
 * {@code task:<id>}, {@code end_user:<tenant>/<user>}, {@code prompt:<route>@<version>},
 * {@code route:<name>}, {@code tenant:<id>}. A command for any other spelling is malformed.
 *
 * @param kind   which kind of scope
 * @param first  the task, tenant (end_user), route (prompt, route) or tenant id
 * @param second the user (end_user) or version (prompt); null for the other kinds
 */
public record SwitchScope(Kind kind, String first, String second) {

    /** The kinds of scope, most specific first: the order in which a call's check consults them. */
    public enum Kind { TASK, END_USER, PROMPT, ROUTE, TENANT }

    /** The scope spelled {@code scope}, or empty when it is not a valid switch scope. */
    public static Optional<SwitchScope> parse(String scope) {
        if (scope == null) {
            return Optional.empty();
        }
        int colon = scope.indexOf(':');
        if (colon <= 0) {
            return Optional.empty();
        }
        String rest = scope.substring(colon + 1);
        return switch (scope.substring(0, colon)) {
            case "task" -> single(Kind.TASK, rest);
            case "route" -> single(Kind.ROUTE, rest);
            case "tenant" -> single(Kind.TENANT, rest);
            case "end_user" -> pair(Kind.END_USER, rest, '/');
            case "prompt" -> pair(Kind.PROMPT, rest, '@');
            default -> Optional.empty();
        };
    }

    private static Optional<SwitchScope> single(Kind kind, String id) {
        return id.isEmpty() ? Optional.empty() : Optional.of(new SwitchScope(kind, id, null));
    }

    /** Splits at the first separator: tenant ids hold no '/', routes no '@' (prompt versions may). */
    private static Optional<SwitchScope> pair(Kind kind, String rest, char separator) {
        int at = rest.indexOf(separator);
        if (at <= 0 || at == rest.length() - 1) {
            return Optional.empty();
        }
        return Optional.of(new SwitchScope(kind, rest.substring(0, at), rest.substring(at + 1)));
    }
}
