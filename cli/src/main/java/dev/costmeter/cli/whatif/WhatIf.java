package dev.costmeter.cli.whatif;

import dev.costmeter.cli.CostctlException;
import dev.costmeter.cli.whatif.WhatIfResult.RateSource;
import dev.costmeter.cli.whatif.WhatIfResult.Side;
import dev.costmeter.cli.whatif.WhatIfResult.SuccessBasis;
import dev.costmeter.contracts.Outcome;
import dev.costmeter.pricing.scenario.Scenario;
import dev.costmeter.pricing.scenario.ScenarioPricer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The what-if arithmetic, apart from Kafka: the selected calls of a period, priced as they were and
 * as the scenario would have priced them, and their tasks' outcomes, come to a base and a scenario
 * {@link Side}.
 *
 * <ul>
 *   <li>Both totals cover the same calls: a call unpriced in the ledger, or one the scenario's price
 *       cannot price, is left out of both and counted apart (a 0 would flatter one side).</li>
 *   <li>Tasks are those of the compared calls (a task whose every call is left out is left out too).
 *       A task succeeded when its outcome is SUCCESS; any other outcome is a failure; a task without
 *       an outcome is neither.</li>
 *   <li>Scenario successes: the given --success-rate times the tasks with an outcome; else, when the
 *       calls move to another model, per task_class the rate observed for that model on that class in
 *       the period ({@link SuccessObservations}) times that class's tasks with an outcome (no observation
 *       for a class with such tasks is an error asking for --success-rate); else the base's successes.</li>
 *   <li>Cost per successful task is all compared cost over successful tasks, rounded half-up once.</li>
 * </ul>
 */
public final class WhatIf {

    private WhatIf() {
    }

    /**
     * @param selected      the period's calls the filters select, as they stand now
     * @param outcomes      the last outcome of each task
     * @param observations  success per task_class and model over all the period's calls
     * @param scenario      the what-if
     * @param successRate   the scenario's success rate as given, or null
     * @param pricer        prices a call under the scenario
     * @throws CostctlException when the scenario's success cannot be known (no observation, no --success-rate)
     */
    public static WhatIfResult compare(List<PeriodCall> selected, Map<String, Outcome> outcomes,
            SuccessObservations observations, Scenario scenario, BigDecimal successRate, ScenarioPricer pricer) {
        long unpricedInBase = 0;
        Map<String, Long> unpricedInScenario = new TreeMap<>();
        long unpricedInScenarioBase = 0;
        long compared = 0;
        long baseCost = 0;
        long scenarioCost = 0;
        long movedToBatch = 0;
        long batchWithoutRate = 0;
        long capped = 0;
        long cut = 0;
        Map<String, String> taskClassOfTask = new LinkedHashMap<>();
        for (PeriodCall call : selected) {
            if (!call.priced()) {
                unpricedInBase++;
                continue;
            }
            ScenarioPricer.Repriced repriced = pricer.price(call.call());
            if (!repriced.cost().priced()) {
                unpricedInScenario.merge(repriced.cost().unpricedReason(), 1L, Long::sum);
                unpricedInScenarioBase = Math.addExact(unpricedInScenarioBase, call.costNanos());
                continue;
            }
            compared++;
            taskClassOfTask.putIfAbsent(call.taskId(), call.call().getTaskClass());
            baseCost = Math.addExact(baseCost, call.costNanos());
            scenarioCost = Math.addExact(scenarioCost, repriced.cost().costNanos());
            movedToBatch += repriced.movedToBatch() ? 1 : 0;
            batchWithoutRate += repriced.noBatchRate() ? 1 : 0;
            capped += repriced.outputTokensCut() > 0 ? 1 : 0;
            cut = Math.addExact(cut, repriced.outputTokensCut());
        }

        Map<String, long[]> byClass = new TreeMap<>(); // task_class -> {tasks with an outcome, successes}
        long withOutcome = 0;
        long successes = 0;
        for (Map.Entry<String, String> task : taskClassOfTask.entrySet()) {
            Outcome outcome = outcomes.get(task.getKey());
            if (outcome == null) {
                continue;
            }
            long[] counts = byClass.computeIfAbsent(task.getValue(), k -> new long[2]);
            counts[0]++;
            withOutcome++;
            if (outcome == Outcome.SUCCESS) {
                counts[1]++;
                successes++;
            }
        }

        List<SuccessBasis> bases = new ArrayList<>();
        List<String> unobserved = new ArrayList<>();
        Ratio scenarioSuccesses = Ratio.ZERO;
        for (Map.Entry<String, long[]> taskClass : byClass.entrySet()) {
            long tasks = taskClass.getValue()[0];
            SuccessBasis basis;
            if (successRate != null) {
                basis = new SuccessBasis(taskClass.getKey(), tasks, Ratio.of(successRate), RateSource.GIVEN, 0, 0);
            } else if (scenario.changesModel()) {
                Optional<SuccessObservations.Observed> observed = observations.of(taskClass.getKey(), scenario.modelKey(), outcomes);
                if (observed.isEmpty()) {
                    unobserved.add(taskClass.getKey());
                    continue;
                }
                basis = new SuccessBasis(taskClass.getKey(), tasks, observed.get().rate(), RateSource.OBSERVED,
                        observed.get().successes(), observed.get().tasks());
            } else {
                basis = new SuccessBasis(taskClass.getKey(), tasks, Ratio.of(taskClass.getValue()[1], tasks),
                        RateSource.UNCHANGED, 0, 0);
            }
            bases.add(basis);
            scenarioSuccesses = scenarioSuccesses.plus(basis.rate().times(tasks));
        }
        if (!unobserved.isEmpty()) {
            throw CostctlException.failed("no success rate observed for " + scenario.modelKey() + " on task_class "
                    + String.join(", ", unobserved) + " in the period (no task of that class that called it has an"
                    + " outcome); pass --success-rate R (a share from 0 to 1) to state the one to assume");
        }
        long tasks = taskClassOfTask.size();
        Side base = new Side(compared, baseCost, tasks, withOutcome, Ratio.of(successes, 1));
        Side what = new Side(compared, scenarioCost, tasks, withOutcome, scenarioSuccesses);
        return new WhatIfResult(selected.size(), unpricedInBase, unpricedInScenario, unpricedInScenarioBase, base, what,
                List.copyOf(bases), movedToBatch, batchWithoutRate, capped, cut);
    }
}
