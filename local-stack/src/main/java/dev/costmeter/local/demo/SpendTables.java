package dev.costmeter.local.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The demo view's two spend tables, today by route and by model, as rows derived from metering's
 * answers: one row per scope that had calls, most expensive first, so a model nobody listed (a
 * DEGRADE's fallback) appears as soon as it is billed. Every call has one route and one model, so
 * the two totals are equal when both sets of answers describe the same calls; {@link #addsUp()}
 * tells whether they do (answers read while calls were arriving may not).
 */
record SpendTables(List<SpendRow> routes, List<SpendRow> models) {

    static final SpendTables EMPTY = new SpendTables(List.of(), List.of());

    private static final Comparator<SpendRow> MOST_EXPENSIVE_FIRST = Comparator.comparingLong(SpendRow::costNanos).reversed()
            .thenComparing(SpendRow::scope);

    /** From {@code /v1/spend} answers by route and by model, keyed by scope. */
    static SpendTables fromSpendAnswers(Map<String, JsonNode> byRoute, Map<String, JsonNode> byModel) {
        return new SpendTables(rows(byRoute), rows(byModel));
    }

    private static List<SpendRow> rows(Map<String, JsonNode> answers) {
        return answers.entrySet().stream().map(e -> SpendRow.fromSpendAnswer(e.getKey(), e.getValue()))
                .filter(row -> row.calls() > 0).sorted(MOST_EXPENSIVE_FIRST).toList();
    }

    SpendRow routeTotal() {
        return total("all routes", routes);
    }

    SpendRow modelTotal() {
        return total("all models", models);
    }

    /** Whether the route table and the model table account for the same calls and money. */
    boolean addsUp() {
        return routeTotal().sameFigures(modelTotal());
    }

    private static SpendRow total(String name, List<SpendRow> rows) {
        SpendRow sum = new SpendRow(name, 0, 0, 0, 0, 0, 0);
        for (SpendRow row : rows) {
            sum = sum.plus(row);
        }
        return sum;
    }
}
