package dev.costmeter.cli.whatif;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.costmeter.cli.Json;
import dev.costmeter.cli.money.Money;
import dev.costmeter.cli.render.Table;
import dev.costmeter.cli.render.Table.Align;
import dev.costmeter.cli.whatif.WhatIfResult.Side;
import dev.costmeter.cli.whatif.WhatIfResult.SuccessBasis;
import dev.costmeter.pricing.scenario.Scenario;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a what-if prints: the assumptions, then base against scenario (calls, cost, successful tasks,
 * cost per successful task, the differences in dollars and per cent) and a verdict line. Dollars with
 * six decimals, half-up from the exact nano-USD integers; per cents and expected task counts with two
 * decimals, half-up.
 */
final class WhatIfView {

    private WhatIfView() {
    }

    static String table(Selection selection, Scenario scenario, WhatIfResult result, List<String> incomplete) {
        StringBuilder out = new StringBuilder();
        out.append("What-if from ").append(selection.from()).append(" to ").append(selection.to()).append(" (")
                .append(selection.describe()).append(")\n");
        out.append("Assumptions:\n");
        for (String line : assumptions(selection, scenario, result, incomplete)) {
            out.append("  - ").append(line).append('\n');
        }
        out.append('\n');
        Side base = result.base();
        Side what = result.scenario();
        Table table = new Table().column("", Align.LEFT).column("BASE", Align.RIGHT).column("SCENARIO", Align.RIGHT)
                .column("DIFFERENCE", Align.RIGHT).column("%", Align.RIGHT);
        table.row("calls", base.calls(), what.calls(), null, null);
        table.row("cost", Money.format(base.costNanos()), Money.format(what.costNanos()),
                signed(result.costDifferenceNanos()), percent(result.costDifferenceNanos(), base.costNanos()));
        table.row("successful tasks", tasks(base.successfulTasks()), tasks(what.successfulTasks()),
                tasksDifference(base, what), null);
        Long diff = result.costPerSuccessfulTaskDifferenceNanos();
        table.row("cost per successful task", money(base.costPerSuccessfulTaskNanos()), money(what.costPerSuccessfulTaskNanos()),
                diff == null ? null : signed(diff), diff == null ? null : percent(diff, base.costPerSuccessfulTaskNanos()));
        out.append(table.render()).append('\n');
        out.append(verdict(result)).append('\n');
        return out.toString();
    }

    static ObjectNode json(Selection selection, Scenario scenario, BigDecimal successRate, WhatIfResult result,
            List<String> incomplete) {
        ObjectNode json = Json.object();
        json.put("from", selection.from().toString());
        json.put("to", selection.to().toString());
        ObjectNode filters = json.putObject("selection");
        filters.put("tenant", selection.tenant());
        filters.put("route", selection.route());
        filters.put("task_class", selection.taskClass());
        ObjectNode knobs = json.putObject("scenario");
        knobs.put("model", scenario.modelKey());
        knobs.put("batch", scenario.batch());
        knobs.put("non_interactive_label", scenario.onlyLabel() == null ? null : scenario.onlyLabel().toString());
        knobs.put("cache_hit_rate", scenario.cacheHitRate());
        knobs.put("max_output_tokens", scenario.maxOutputTokens());
        knobs.put("success_rate", successRate);
        ArrayNode assumptions = json.putArray("assumptions");
        assumptions(selection, scenario, result, incomplete).forEach(assumptions::add);
        ArrayNode gaps = json.putArray("incomplete_topics");
        incomplete.forEach(gaps::add);
        json.put("selected_calls", result.selectedCalls());
        ObjectNode leftOut = json.putObject("left_out");
        leftOut.put("unpriced_in_ledger", result.unpricedInBase());
        ObjectNode reasons = leftOut.putObject("unpriced_in_scenario");
        result.unpricedInScenario().forEach(reasons::put);
        leftOut.put("unpriced_in_scenario_ledger_cost_nanos", result.unpricedInScenarioBaseNanos());
        side(json.putObject("base"), result.base());
        side(json.putObject("what_if"), result.scenario());
        ArrayNode rates = json.putArray("success_rates");
        for (SuccessBasis basis : result.successBases()) {
            ObjectNode rate = rates.addObject();
            rate.put("task_class", basis.taskClass());
            rate.put("rate", basis.rate().toDecimal(6));
            rate.put("rate_exact", basis.rate().toString());
            rate.put("source", basis.source().name().toLowerCase(java.util.Locale.ROOT));
            rate.put("tasks_with_outcome", basis.tasksWithOutcome());
            if (basis.source() == WhatIfResult.RateSource.OBSERVED) {
                rate.put("observed_successes", basis.observedSuccesses());
                rate.put("observed_tasks", basis.observedTasks());
            }
        }
        ObjectNode difference = json.putObject("difference");
        difference.put("cost_nanos", result.costDifferenceNanos());
        difference.put("cost_percent", percentValue(result.costDifferenceNanos(), result.base().costNanos()));
        Long diff = result.costPerSuccessfulTaskDifferenceNanos();
        difference.put("cost_per_successful_task_nanos", diff);
        difference.put("cost_per_successful_task_percent",
                diff == null ? null : percentValue(diff, result.base().costPerSuccessfulTaskNanos()));
        json.put("cheaper_in_total_but_dearer_per_successful_task", result.cheaperButDearerPerSuccess());
        json.put("verdict", verdict(result));
        return json;
    }

    private static void side(ObjectNode node, Side side) {
        node.put("calls", side.calls());
        node.put("cost_nanos", side.costNanos());
        node.put("tasks", side.tasks());
        node.put("tasks_with_outcome", side.tasksWithOutcome());
        node.put("successful_tasks", side.successfulTasks().toDecimal(6).stripTrailingZeros());
        node.put("cost_per_successful_task_nanos", side.costPerSuccessfulTaskNanos());
    }

    /** Every assumption the figures rest on, one sentence each. */
    static List<String> assumptions(Selection selection, Scenario scenario, WhatIfResult result, List<String> incomplete) {
        List<String> lines = new ArrayList<>();
        for (String topic : incomplete) {
            lines.add("INCOMPLETE: topic " + topic + " no longer holds its oldest records (retention deleted them) and"
                    + " may miss some of the period's: the figures may be incomplete");
        }
        long leftOut = result.selectedCalls() - result.comparedCalls();
        lines.add(result.comparedCalls() + " ledgered call(s) of " + result.base().tasks() + " task(s) with event times in the"
                + " period, each at its cost in the ledger net of applied corrections (base)"
                + (leftOut == 0 ? "" : "; " + result.selectedCalls() + " selected, " + leftOut + " left out (below)"));
        if (scenario.changesModel()) {
            lines.add("model: every call repriced as " + scenario.modelKey() + " with the version of its price in force at"
                    + " the call's time, with the same tokens of every kind (tokenizers differ: a real switch may count"
                    + " more or fewer)");
        }
        if (scenario.batch()) {
            lines.add("batch: " + (scenario.onlyLabel() == null ? "every selected call is non-interactive"
                    : "calls labelled " + scenario.onlyLabel() + " are non-interactive")
                    + " and goes through batch at the price's batch rates (" + result.movedToBatch() + " call(s) moved, "
                    + result.batchWithoutRate() + " of them on a price without batch rates, so at standard rates);"
                    + " calls already batch are unchanged");
        }
        if (scenario.cacheHitRate() != null) {
            lines.add("prompt cache: " + scenario.cacheHitRate().toPlainString() + " of each call's prompt tokens (input,"
                    + " cache read and cache write) read from the cache at the cache-read rate, rounded half-up per call;"
                    + " the misses written to the cache at the cache-write rate where the price's write rate is above its"
                    + " input rate (a write premium), else billed as input");
        }
        if (scenario.maxOutputTokens() != null) {
            lines.add("output cap: at most " + scenario.maxOutputTokens() + " output tokens a call (" + result.cappedCalls()
                    + " call(s) cut, " + result.outputTokensCut() + " output tokens fewer)");
        }
        for (SuccessBasis basis : result.successBases()) {
            String rate = basis.rate().toPercent(2).toPlainString() + "%";
            lines.add(switch (basis.source()) {
                case GIVEN -> "success rate " + rate + " (given) for the " + basis.tasksWithOutcome()
                        + " task(s) with an outcome of " + basis.taskClass();
                case OBSERVED -> "success rate " + rate + " for " + basis.taskClass() + ": observed for " + scenario.modelKey()
                        + " on " + basis.taskClass() + " in the period (" + basis.observedSuccesses() + " of "
                        + basis.observedTasks() + " task(s) with an outcome, any tenant and route), applied to its "
                        + basis.tasksWithOutcome() + " task(s) with an outcome";
                case UNCHANGED -> "success rate of " + basis.taskClass() + " unchanged: " + rate + " of its "
                        + basis.tasksWithOutcome() + " task(s) with an outcome"
                        + (scenario.maxOutputTokens() != null ? " (a cap that truncates answers may lower it: say so with"
                                + " --success-rate)" : "");
            });
        }
        long open = result.base().tasks() - result.base().tasksWithOutcome();
        lines.add("a task succeeded when its outcome is SUCCESS; any other outcome is a failure; " + open
                + " task(s) without an outcome count in cost, not in successful tasks; the same tasks run in the"
                + " scenario (a failed task is not retried)");
        if (result.base().tasksWithOutcome() == 0) {
            lines.add("no task of the selection has an outcome (not reported yet, or expired from the outcomes topic):"
                    + " cost per successful task cannot be compared");
        }
        if (result.unpricedInBase() > 0) {
            lines.add("left out of both totals: " + result.unpricedInBase() + " call(s) unpriced in the ledger");
        }
        for (Map.Entry<String, Long> reason : result.unpricedInScenario().entrySet()) {
            lines.add("left out of both totals: " + reason.getValue() + " call(s) the scenario cannot price: " + reason.getKey());
        }
        if (result.unpricedInScenarioCalls() > 0) {
            lines.add("those " + result.unpricedInScenarioCalls() + " call(s) cost "
                    + Money.format(result.unpricedInScenarioBaseNanos()) + " in the ledger");
        }
        return lines;
    }

    static String verdict(WhatIfResult result) {
        Side base = result.base();
        Side what = result.scenario();
        long diff = result.costDifferenceNanos();
        String total = (diff < 0 ? "cheaper" : diff > 0 ? "dearer" : "the same") + " in total ("
                + Money.format(base.costNanos()) + " -> " + Money.format(what.costNanos()) + ", " + signed(diff)
                + percentSuffix(diff, base.costNanos()) + ")";
        Long basePer = base.costPerSuccessfulTaskNanos();
        Long whatPer = what.costPerSuccessfulTaskNanos();
        if (basePer == null || whatPer == null) {
            return "The scenario is " + total + "; cost per successful task cannot be compared: "
                    + (basePer == null ? "no task succeeded in the base" : "no task would succeed in the scenario") + ".";
        }
        long perDiff = result.costPerSuccessfulTaskDifferenceNanos();
        String per = "per successful task (" + Money.format(basePer) + " -> " + Money.format(whatPer) + ", "
                + signed(perDiff) + percentSuffix(perDiff, basePer) + ")";
        if (result.cheaperButDearerPerSuccess()) {
            return "The scenario is " + total + " but DEARER " + per + ": fewer tasks succeed.";
        }
        if (result.dearerButCheaperPerSuccess()) {
            return "The scenario is " + total + " but CHEAPER " + per + ": more tasks succeed.";
        }
        return "The scenario is " + total + " and " + (perDiff < 0 ? "cheaper" : perDiff > 0 ? "dearer" : "the same")
                + " " + per + ".";
    }

    private static String money(Long nanos) {
        return nanos == null ? null : Money.format(nanos);
    }

    private static String signed(long nanos) {
        return nanos > 0 ? "+" + Money.format(nanos) : Money.format(nanos);
    }

    /** A count of tasks: whole when it is (counted), else two decimals (expected). */
    private static String tasks(Ratio tasks) {
        return tasks.denominator().equals(java.math.BigInteger.ONE) ? tasks.numerator().toString()
                : tasks.toDecimal(2).toPlainString();
    }

    private static String tasksDifference(Side base, Side what) {
        boolean whole = base.successfulTasks().denominator().equals(java.math.BigInteger.ONE)
                && what.successfulTasks().denominator().equals(java.math.BigInteger.ONE);
        BigDecimal diff = what.successfulTasks().toDecimal(2).subtract(base.successfulTasks().toDecimal(2));
        String text = whole ? diff.setScale(0, RoundingMode.UNNECESSARY).toPlainString() : diff.toPlainString();
        return (diff.signum() > 0 ? "+" : "") + text;
    }

    private static String percentSuffix(long diff, long of) {
        String percent = percent(diff, of);
        return percent == null ? "" : ", " + percent;
    }

    /** {@code diff / of} in per cent, half-up to two decimals, signed; null when {@code of} is 0. */
    private static String percent(long diff, Long of) {
        BigDecimal value = percentValue(diff, of);
        return value == null ? null : (value.signum() > 0 ? "+" : "") + value.toPlainString() + "%";
    }

    private static BigDecimal percentValue(long diff, Long of) {
        if (of == null || of == 0) {
            return null;
        }
        return BigDecimal.valueOf(diff).multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(of), 2, RoundingMode.HALF_UP);
    }
}
