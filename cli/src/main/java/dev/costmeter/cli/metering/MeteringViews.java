package dev.costmeter.cli.metering;

import com.fasterxml.jackson.databind.JsonNode;
import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Tables for metering-stream's answers. Money arrives as integer nano-USD and is shown with
 * {@link Money#format}; a non-integer where an integer is expected is refused rather than rounded.
 */
public final class MeteringViews {

    private MeteringViews() {
    }

    /** The spend answer: a heading, one row per window and a TOTAL row. */
    public static String spend(JsonNode answer) {
        StringBuilder out = new StringBuilder();
        out.append(text(answer, "dimension")).append(' ').append(text(answer, "scope")).append(", ")
                .append(text(answer, "granularity")).append(" windows from ").append(text(answer, "from"))
                .append(" to ").append(text(answer, "to")).append('\n');
        JsonNode windows = answer.path("windows");
        if (windows.isEmpty()) {
            out.append("No spend in this range.\n");
            return out.toString();
        }
        Table table = new Table()
                .column("WINDOW_START", Align.LEFT)
                .column("CALLS", Align.RIGHT)
                .column("RETRIES", Align.RIGHT)
                .column("FAILURES", Align.RIGHT)
                .column("UNPRICED", Align.RIGHT)
                .column("INPUT_TOK", Align.RIGHT)
                .column("OUTPUT_TOK", Align.RIGHT)
                .column("CACHE_READ_TOK", Align.RIGHT)
                .column("CACHE_WRITE_TOK", Align.RIGHT)
                .column("COST", Align.RIGHT)
                .column("SAVINGS", Align.RIGHT)
                .column("CACHE_HIT", Align.RIGHT);
        for (JsonNode window : windows) {
            spendRow(table, text(window, "window_start"), window);
        }
        if (answer.hasNonNull("total")) {
            spendRow(table, "TOTAL", answer.get("total"));
        }
        out.append(table.render());
        return out.toString();
    }

    /** The top-tasks answer: a heading and one row per task, costliest first as metering-stream sent them. */
    public static String topTasks(JsonNode answer) {
        JsonNode tasks = answer.path("tasks");
        if (tasks.isEmpty()) {
            return "No tasks on " + text(answer, "day") + ".\n";
        }
        Table table = new Table()
                .column("TASK_ID", Align.LEFT)
                .column("TENANT", Align.LEFT)
                .column("TASK_CLASS", Align.LEFT)
                .column("ROUTE", Align.LEFT)
                .column("CALLS", Align.RIGHT)
                .column("RETRIES", Align.RIGHT)
                .column("FAILURES", Align.RIGHT)
                .column("TOOL_CALLS", Align.RIGHT)
                .column("COST", Align.RIGHT)
                .column("SAVINGS", Align.RIGHT)
                .column("MODELS", Align.LEFT)
                .column("OUTCOME", Align.LEFT)
                .column("CORRECTED", Align.LEFT);
        for (JsonNode task : tasks) {
            table.row(text(task, "task_id"), text(task, "tenant_id"), text(task, "task_class"), text(task, "route"),
                    integer(task, "calls"), integer(task, "retries"), integer(task, "failures"),
                    integer(task, "tool_calls"), money(task, "cost_nanos"), money(task, "savings_nanos"),
                    models(task.path("models")), text(task, "outcome"), bool(task, "human_corrected"));
        }
        return "Top tasks on " + text(answer, "day") + "\n" + table.render();
    }

    /**
     * The task-class answer: one row per model with calls and cost (tasks without an outcome
     * included), cost per call, finished tasks, tasks without an outcome, success rate, cost per
     * successful task, waste.
     */
    public static String taskClassModels(JsonNode answer) {
        String heading = "Task class " + text(answer, "task_class") + ", " + text(answer, "from") + " to " + text(answer, "to")
                + " (UTC days)\n";
        JsonNode models = answer.path("models");
        if (models.isEmpty()) {
            return heading + "No calls of this task class in this range.\n";
        }
        Table table = new Table()
                .column("MODEL", Align.LEFT)
                .column("CALLS", Align.RIGHT)
                .column("COST", Align.RIGHT)
                .column("COST_PER_CALL", Align.RIGHT)
                .column("TASKS", Align.RIGHT)
                .column("OPEN_TASKS", Align.RIGHT)
                .column("SUCCESS_RATE", Align.RIGHT)
                .column("COST_PER_SUCCESS", Align.RIGHT)
                .column("WASTE", Align.RIGHT);
        for (JsonNode model : models) {
            table.row(text(model, "model"), integer(model, "calls"), money(model, "cost_nanos"),
                    money(model, "cost_per_call_nanos"), integer(model, "tasks"), integer(model, "open_tasks"),
                    basisPoints(model, "success_rate_bps"),
                    money(model, "cost_per_successful_task_nanos"), money(model, "waste_nanos"));
        }
        return heading + table.render();
    }

    private static void spendRow(Table table, String label, JsonNode row) {
        table.row(label, integer(row, "calls"), integer(row, "retries"), integer(row, "failures"),
                integer(row, "unpriced_calls"), integer(row, "input_tokens"), integer(row, "output_tokens"),
                integer(row, "cache_read_tokens"), integer(row, "cache_write_tokens"), money(row, "cost_nanos"),
                money(row, "savings_nanos"), basisPoints(row, "cache_hit_rate_bps"));
    }

    /** {@code openai/gpt-4o(3) $0.012000, ...}: calls and cost per model. */
    private static String models(JsonNode models) {
        if (!models.isObject() || models.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> model : models.properties()) {
            Long calls = integer(model.getValue(), "calls");
            String cost = money(model.getValue(), "cost_nanos");
            parts.add(model.getKey() + "(" + (calls == null ? "-" : calls) + ") " + (cost == null ? "-" : cost));
        }
        return String.join(", ", parts);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "-" : value.asText();
    }

    private static String bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asBoolean() ? "yes" : "no";
    }

    private static Long integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw CostctlException.failed("metering-stream sent " + field + "=" + value + ", not a whole number");
        }
        return value.asLong();
    }

    private static String money(JsonNode node, String field) {
        Long nanos = integer(node, field);
        return nanos == null ? null : Money.format(nanos);
    }

    /** Basis points as a percentage with two decimals: 1234 is {@code 12.34%}. */
    static String basisPoints(JsonNode node, String field) {
        Long bps = integer(node, field);
        if (bps == null) {
            return null;
        }
        String sign = bps < 0 ? "-" : "";
        long abs = Math.abs(bps);
        return sign + (abs / 100) + "." + String.format(java.util.Locale.ROOT, "%02d", abs % 100) + "%";
    }
}
