package dev.costmeter.cli.budgets;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import dev.costmeter.contracts.BudgetPeriod;
import dev.costmeter.contracts.BudgetPolicy;
import dev.costmeter.contracts.PeriodLimit;
import dev.costmeter.contracts.TaskCeiling;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Budget policies as a table (dollars, exact) or JSON (integer nano-USD). */
public final class BudgetViews {

    private BudgetViews() {
    }

    /** One row per policy: caps per period, where periods start, thresholds, action and per-task ceiling. */
    public static String table(Collection<BudgetPolicy> policies) {
        Table table = new Table()
                .column("SCOPE", Align.LEFT)
                .column("HOUR", Align.RIGHT)
                .column("DAY", Align.RIGHT)
                .column("MONTH", Align.RIGHT)
                .column("TIME_ZONE", Align.LEFT)
                .column("WARN_AT", Align.LEFT)
                .column("ACTION", Align.LEFT)
                .column("DEGRADE_TO", Align.LEFT)
                .column("TASK_CEILING", Align.LEFT)
                .column("ENABLED", Align.LEFT);
        for (BudgetPolicy p : policies) {
            table.row(p.getScope(), limit(p, BudgetPeriod.HOUR), limit(p, BudgetPeriod.DAY), limit(p, BudgetPeriod.MONTH),
                    p.getTimeZone(), warn(p.getWarnThresholdsPct()), p.getAction(), p.getDegradeModel(),
                    ceiling(p.getTaskCeiling()), p.getEnabled() ? "yes" : "no");
        }
        return table.render();
    }

    /** {@code {"topic", "policies": [...]}} with every amount in nano-USD. */
    public static ObjectNode json(String topic, Collection<BudgetPolicy> policies) {
        ObjectNode json = Json.object().put("topic", topic);
        ArrayNode list = json.putArray("policies");
        for (BudgetPolicy p : policies) {
            ObjectNode row = list.addObject().put("scope", p.getScope());
            ArrayNode limits = row.putArray("limits");
            for (PeriodLimit limit : p.getLimits()) {
                limits.addObject().put("period", limit.getPeriod().name()).put("limit_nanos", limit.getLimitNanos());
            }
            row.put("time_zone", p.getTimeZone());
            ArrayNode warn = row.putArray("warn_thresholds_pct");
            p.getWarnThresholdsPct().forEach(warn::add);
            row.put("action", p.getAction().name());
            row.put("degrade_model", p.getDegradeModel());
            TaskCeiling c = p.getTaskCeiling();
            if (c == null) {
                row.putNull("task_ceiling");
            } else {
                row.putObject("task_ceiling").put("max_calls", c.getMaxCalls()).put("max_retries", c.getMaxRetries())
                        .put("max_total_tokens", c.getMaxTotalTokens()).put("max_cost_nanos", c.getMaxCostNanos());
            }
            row.put("enabled", p.getEnabled());
            row.put("updated_at", p.getUpdatedAt().toString());
            row.put("updated_by", p.getUpdatedBy());
        }
        return json;
    }

    private static String limit(BudgetPolicy policy, BudgetPeriod period) {
        return policy.getLimits().stream().filter(l -> l.getPeriod() == period).findFirst()
                .map(l -> Money.formatRate(l.getLimitNanos())).orElse(null);
    }

    private static String warn(List<Integer> thresholds) {
        if (thresholds.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        thresholds.forEach(t -> parts.add(t + "%"));
        return String.join(",", parts);
    }

    /** {@code calls 200, retries 20, tokens 2000000, cost $2.00}: only the ceilings that are set. */
    static String ceiling(TaskCeiling c) {
        if (c == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        if (c.getMaxCalls() != null) {
            parts.add("calls " + c.getMaxCalls());
        }
        if (c.getMaxRetries() != null) {
            parts.add("retries " + c.getMaxRetries());
        }
        if (c.getMaxTotalTokens() != null) {
            parts.add("tokens " + c.getMaxTotalTokens());
        }
        if (c.getMaxCostNanos() != null) {
            parts.add("cost " + Money.formatRate(c.getMaxCostNanos()));
        }
        return String.join(", ", parts);
    }
}
