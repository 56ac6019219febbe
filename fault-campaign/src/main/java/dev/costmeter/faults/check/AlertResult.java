package dev.costmeter.faults.check;

import dev.costmeter.faults.oracle.ExpectedAlert;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Alerts and switches against the designed crossings.
 *
 * @param duplicatedFirings dedup keys with more than one FIRING record: a page sent twice
 * @param missing           designed alerts that never fired
 * @param refired           designed alerts that fired under more than one dedup key, and how often
 * @param unexpected        FIRING alerts of the designed rules (budget_cap, task_loop) on a scope or step
 *                          that was not designed
 * @param otherRules        FIRING alerts of rules the workload does not design, by rule (reported only)
 * @param missingBlocks     scopes that were never blocked
 */
public record AlertResult(long alertsRead, long switchesRead, Map<String, Integer> duplicatedFirings,
        List<ExpectedAlert> missing, Map<String, Integer> refired, List<AlertSeen> unexpected,
        Map<String, Integer> otherRules, Set<String> missingBlocks) {

    public boolean ok() {
        return duplicatedFirings.isEmpty() && missing.isEmpty() && refired.isEmpty() && unexpected.isEmpty()
                && missingBlocks.isEmpty();
    }
}
