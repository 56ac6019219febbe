package dev.costmeter.faults.oracle;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a correct pipeline must show after a run, derived by the {@link Oracle} from what was
 * sent and acknowledged. Maps are keyed as the stores are read.
 *
 * @param ledger        every accepted call by event id: exactly one ledger row each, these fields
 * @param callIndex     the plan index of each accepted call, for attributing a discrepancy to the fault
 *                      window it was sent in
 * @param deadLetters   bad records by the SHA-256 (hex) of their value bytes
 * @param blockedScopes kill-switch scopes that must have been blocked
 */
public record Expectations(Map<String, LedgerRow> ledger, Map<String, Integer> callIndex,
        Map<Keys.Rollup, SpendTotals> rollups, Map<String, Values.Task> tasks,
        Map<Keys.TaskClass, Values.TaskClassStats> taskClasses, Map<Keys.DailySpend, Values.CallsAndCost> dailySpend,
        Map<String, Values.TaskSpend> taskSpend, Map<Keys.ClassDay, Values.SuccessCost> successCost,
        Map<String, ExpectedDeadLetter> deadLetters, List<ExpectedAlert> alerts, Set<String> blockedScopes) {
}
