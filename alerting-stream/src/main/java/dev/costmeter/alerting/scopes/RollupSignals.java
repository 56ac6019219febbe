package dev.costmeter.alerting.scopes;

import dev.costmeter.alerting.budgets.Scopes;
import dev.costmeter.contracts.CostRollup;
import java.util.List;
import org.apache.kafka.streams.KeyValue;

/**
 * Maps a rollup to the scope it concerns. Tenant, route and task_class rollups are used as they
 * are; model and prompt-version rollups are not (models cannot be switched off, and a
 * prompt-version rollup lacks the route the prompt scope names; both come from the ledger).
 */
public final class RollupSignals {

    private RollupSignals() {
    }

    public static List<KeyValue<String, ScopeSignal>> of(CostRollup rollup) {
        String scope = switch (rollup.getDimension()) {
            case TENANT -> Scopes.tenant(rollup.getScope());
            case ROUTE -> Scopes.route(rollup.getScope());
            case TASK_CLASS -> Scopes.taskClass(rollup.getScope());
            case MODEL, PROMPT_VERSION -> null;
        };
        if (scope == null) {
            return List.of();
        }
        return List.of(KeyValue.pair(scope, new ScopeSignal(ScopeSignal.ROLLUP, rollup.getGranularity().name(),
                rollup.getWindowStart().toEpochMilli(), rollup.getUpdatedAt().toEpochMilli(), rollup.getCostNanos(),
                rollup.getCalls(), rollup.getRetries(), rollup.getFailures(), true, null, null, null, null)));
    }
}
