package dev.costmeter.faults.check;

import dev.costmeter.faults.oracle.ExpectedAlert;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Each designed crossing FIRING exactly once, no dedup key FIRING twice, and each designed scope
 * blocked. Alerts of rules the workload does not aim at are listed, not judged: they depend on
 * thresholds (spike, storm) this checker does not re-implement.
 */
public final class AlertCheck {

    private static final Set<String> DESIGNED_RULES = Set.of("budget_cap", "task_loop");

    private AlertCheck() {
    }

    public static AlertResult compare(List<ExpectedAlert> expected, Collection<String> expectedBlocks, List<AlertSeen> alerts,
            List<SwitchSeen> switches) {
        Map<String, Integer> firings = new LinkedHashMap<>();
        alerts.stream().filter(AlertSeen::firing).forEach(a -> firings.merge(a.dedupKey(), 1, Integer::sum));
        Map<String, Integer> duplicated = new LinkedHashMap<>();
        firings.forEach((key, count) -> {
            if (count > 1) {
                duplicated.put(key, count);
            }
        });

        List<ExpectedAlert> missing = new ArrayList<>();
        Map<String, Integer> refired = new LinkedHashMap<>();
        Set<String> designedKeys = new LinkedHashSet<>();
        for (ExpectedAlert want : expected) {
            List<String> keys = firings.keySet().stream().filter(key -> matches(want, key)).toList();
            designedKeys.addAll(keys);
            if (keys.isEmpty()) {
                missing.add(want);
            } else if (keys.size() > 1) {
                refired.put(want.rule() + "|" + want.scope() + "|" + want.threshold(), keys.size());
            }
        }
        List<AlertSeen> unexpected = new ArrayList<>();
        Map<String, Integer> otherRules = new TreeMap<>();
        Set<String> counted = new LinkedHashSet<>();
        for (AlertSeen alert : alerts) {
            if (!alert.firing() || designedKeys.contains(alert.dedupKey()) || !counted.add(alert.dedupKey())) {
                continue;
            }
            if (DESIGNED_RULES.contains(alert.rule())) {
                unexpected.add(alert);
            } else {
                otherRules.merge(alert.rule(), 1, Integer::sum);
            }
        }
        Set<String> blocked = new LinkedHashSet<>();
        switches.stream().filter(s -> "BLOCK".equals(s.action())).forEach(s -> blocked.add(s.scope()));
        Set<String> missingBlocks = new LinkedHashSet<>(expectedBlocks);
        missingBlocks.removeAll(blocked);
        return new AlertResult(alerts.size(), switches.size(), duplicated, missing, refired, unexpected, otherRules,
                missingBlocks);
    }

    private static boolean matches(ExpectedAlert want, String dedupKey) {
        if (want.dedupKey() != null) {
            return want.dedupKey().equals(dedupKey);
        }
        return dedupKey.startsWith(want.rule() + "|" + want.scope() + "|" + want.threshold() + "|");
    }
}
